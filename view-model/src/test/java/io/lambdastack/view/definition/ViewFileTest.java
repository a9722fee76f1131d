package io.lambdastack.view.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ViewFileTest {
  static final String GOOD = """
      views:
        - name: temperature_by_sensor
          source: sensor-readings
          key: [sensorId]
          bucket: 10s
          lateness: 30s
          measures: [count, mean(temperature), quantiles(temperature), distinct(site) as sites]
        - name: by_site
          source: sensor-readings
          key: site
          bucket: PT1M
          measures: [sum(temperature)]
      """;

  @Test
  void readsViews() {
    ViewCatalog catalog = ViewFile.parse("views.yaml", GOOD);
    ViewDefinition v = catalog.view("temperature_by_sensor").orElseThrow();
    assertThat(v.source()).isEqualTo("sensor-readings");
    assertThat(v.keyFields()).containsExactly("sensorId");
    assertThat(v.bucketWidth()).isEqualTo(Duration.ofSeconds(10));
    assertThat(v.lateness()).isEqualTo(Duration.ofSeconds(30));
    assertThat(v.measures()).containsExactly(
        new MeasureSpec("count", MeasureKind.COUNT, null),
        new MeasureSpec("mean_temperature", MeasureKind.MEAN, "temperature"),
        new MeasureSpec("quantiles_temperature", MeasureKind.QUANTILES, "temperature"),
        new MeasureSpec("sites", MeasureKind.DISTINCT, "site"));
    assertThat(catalog.view("by_site").orElseThrow().lateness()).isEqualTo(Duration.ZERO);
    assertThat(catalog.sourceTopics()).containsExactly("sensor-readings");
  }

  @Test
  void bucketsFloorAlsoBeforeTheEpoch() {
    ViewDefinition v = ViewFile.parse("v", GOOD).view("temperature_by_sensor").orElseThrow();
    assertThat(v.bucketStart(10_000)).isEqualTo(10_000);
    assertThat(v.bucketStart(19_999)).isEqualTo(10_000);
    assertThat(v.bucketStart(-1)).isEqualTo(-10_000);
  }

  @Test
  void unknownFieldIsNamedWithASuggestion() {
    assertThatThrownBy(() -> ViewFile.parse("views.yaml", GOOD.replace("bucket: 10s", "buckt: 10s")))
        .hasMessage("views.yaml: view 'temperature_by_sensor': unknown field 'buckt' (did you mean 'bucket'?); "
            + "allowed fields: name, kind, source, key, bucket, lateness, window, slide, top, reset, measures, description");
  }

  @Test
  void unknownMeasureListsTheKnownOnes() {
    assertThatThrownBy(() -> ViewFile.parse("views.yaml", GOOD.replace("mean(temperature)", "median(temperature)")))
        .hasMessage("views.yaml: view 'temperature_by_sensor': unknown measure 'median' in 'median(temperature)' (did you mean 'mean'?); "
            + "known measures: count, sum, min, max, mean, distinct, quantiles");
  }

  @Test
  void zeroBucketAndNegativeLatenessAreRejected() {
    assertThatThrownBy(() -> ViewFile.parse("views.yaml", GOOD.replace("bucket: 10s", "bucket: 0")))
        .hasMessage("views.yaml: view 'temperature_by_sensor': bucket width must be positive, got '0' (e.g. bucket: 1m)");
    assertThatThrownBy(() -> ViewFile.parse("views.yaml", GOOD.replace("lateness: 30s", "lateness: -5s")))
        .hasMessage("views.yaml: view 'temperature_by_sensor': lateness must not be negative, got '-5s' (use 0s for none)");
    assertThatThrownBy(() -> ViewFile.parse("views.yaml", GOOD.replace("bucket: 10s", "bucket: soon")))
        .hasMessageContaining("bucket 'soon' is not a duration (use e.g. 500ms, 10s, 5m, 2h, 1d or PT10S)");
  }

  @Test
  void bucketsAndLatenessMustFitMillisArithmetic() {
    assertThatThrownBy(() -> ViewFile.parse("f", GOOD.replace("bucket: 10s", "bucket: PT0.0001S")))
        .hasMessage("f: view 'temperature_by_sensor': bucket width must be whole milliseconds up to 3650d, got 'PT0.0001S'");
    assertThatThrownBy(() -> ViewFile.parse("f", GOOD.replace("bucket: 10s", "bucket: 999999999999999d")))
        .hasMessage("f: view 'temperature_by_sensor': bucket '999999999999999d' is too large a duration");
    assertThatThrownBy(() -> ViewFile.parse("f", GOOD.replace("bucket: 10s", "bucket: 99999999999999d")))
        .hasMessage("f: view 'temperature_by_sensor': bucket width must be whole milliseconds up to 3650d, got '99999999999999d'");
    assertThatThrownBy(() -> ViewFile.parse("f", GOOD.replace("lateness: 30s", "lateness: 4000d")))
        .hasMessage("f: view 'temperature_by_sensor': lateness must be at most 3650d, got '4000d'");
  }

  @Test
  void otherMistakes() {
    assertThatThrownBy(() -> ViewFile.parse("f", GOOD.replace("mean(temperature)", "mean"))).hasMessageContaining("measure 'mean' needs a field");
    assertThatThrownBy(() -> ViewFile.parse("f", GOOD.replace("mean(temperature)", "count"))).hasMessageContaining("two measures are named 'count'");
    assertThatThrownBy(() -> ViewFile.parse("f", GOOD.replace("name: by_site", "name: temperature_by_sensor"))).hasMessageContaining("declared twice");
    assertThatThrownBy(() -> ViewFile.parse("f", GOOD.replace("key: [sensorId]", "key: []"))).hasMessageContaining("'key' must name at least one field");
    assertThatThrownBy(() -> ViewFile.parse("f", "views: [")).hasMessageStartingWith("f: not valid YAML");
    assertThatThrownBy(() -> ViewFile.parse("f", "view: []")).hasMessage("f: unknown field 'view' (did you mean 'views'?); allowed fields: views");
    assertThatThrownBy(() -> ViewFile.parse("f", GOOD.replace("name: by_site", "name: by site"))).hasMessageContaining("name must start with a letter");
  }

  @Test
  void missingFileSaysHowToPointAtOne(@TempDir Path dir) {
    assertThatThrownBy(() -> ViewFile.load(dir.resolve("nope.yaml")))
        .hasMessage(dir.resolve("nope.yaml") + ": view file not found; pass --views FILE or set LAMBDA_VIEWS");
  }

  @Test
  void theShippedViewFileIsValid() {
    Path shipped = Path.of("../config/views.yaml");
    ViewCatalog catalog = ViewFile.load(shipped);
    assertThat(catalog.views()).isNotEmpty();
    assertThat(Files.exists(shipped)).isTrue();
    assertThat(List.copyOf(catalog.sourceTopics())).isNotEmpty();
  }
}
