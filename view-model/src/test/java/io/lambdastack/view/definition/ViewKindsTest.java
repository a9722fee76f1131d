package io.lambdastack.view.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdastack.view.event.Event;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The view kinds beyond tumbling buckets, declared in the same file, and their one-line errors. */
class ViewKindsTest {
  static final String KINDS = """
      views:
        - name: hashtags
          kind: sliding
          source: tweets
          key: [hashtag]
          window: 10m
          slide: 10s
          top: 3
          measures: [count]
        - name: totals
          kind: running
          source: readings
          key: sensorId
          measures: [count, max(temperature), quantiles(temperature)]
        - name: segments
          kind: landmark
          source: readings
          key: sensorId
          reset: type=reset
          measures: [count, mean(temperature)]
        - name: temps
          source: readings
          key: sensorId
          bucket: 10s
          measures: [count]
      """;

  static String with(String from, String to) {
    String replaced = KINDS.replace(from, to);
    assertThat(replaced).isNotEqualTo(KINDS);
    return replaced;
  }

  @Test
  void readsEveryKind() {
    ViewCatalog c = ViewFile.parse("v", KINDS);
    ViewDefinition hashtags = c.view("hashtags").orElseThrow();
    assertThat(hashtags.kind()).isEqualTo(ViewKind.SLIDING);
    assertThat(hashtags.sliding()).isEqualTo(new SlidingWindow(Duration.ofMinutes(10), Duration.ofSeconds(10), 3));
    assertThat(hashtags.bucketWidth()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.view("totals").orElseThrow().kind()).isEqualTo(ViewKind.RUNNING);
    ViewDefinition segments = c.view("segments").orElseThrow();
    assertThat(segments.reset()).isEqualTo(new ResetMarker("type", "reset"));
    assertThat(segments.reset().matches(new Event("r", 0, Map.of("type", "reset"), Map.of()))).isTrue();
    assertThat(segments.reset().matches(new Event("e", 0, Map.of("type", "reading"), Map.of()))).isFalse();
    assertThat(c.view("temps").orElseThrow().kind()).isEqualTo(ViewKind.BUCKETS);
    assertThat(c.bucketViews()).extracting(ViewDefinition::name).containsExactly("temps");
    assertThat(c.ofKind(ViewKind.LANDMARK)).extracting(ViewDefinition::name).containsExactly("segments");
  }

  @Test
  void windowMustBeAMultipleOfTheSlide() {
    assertThatThrownBy(() -> ViewFile.parse("v", with("window: 10m", "window: 25s")))
        .hasMessage("v: view 'hashtags': window 25s must be a multiple of slide 10s (e.g. window: 10m, slide: 10s)");
    assertThatThrownBy(() -> ViewFile.parse("v", with("slide: 10s", "slide: 0s")))
        .hasMessage("v: view 'hashtags': slide must be positive, got '0s' (e.g. slide: 1m)");
    assertThatThrownBy(() -> ViewFile.parse("v", with("    slide: 10s\n", "")))
        .hasMessage("v: view 'hashtags': missing field 'slide'");
  }

  @Test
  void aSlidingWindowTakesOnlyMeasuresItCanSubtract() {
    assertThatThrownBy(() -> ViewFile.parse("v", with("top: 3\n    measures: [count]", "top: 3\n    measures: [count, max(x)]")))
        .hasMessage("v: view 'hashtags': measure 'max(x)' cannot slide: a sliding window subtracts the batches that "
            + "leave it, so only count, sum(f) and mean(f) are allowed");
    assertThatThrownBy(() -> ViewFile.parse("v", with("top: 3", "top: 0")))
        .hasMessage("v: view 'hashtags': top must be a whole number from 1 to 1000, got '0'");
  }

  @Test
  void fieldsOfAnotherKindAreNamed() {
    assertThatThrownBy(() -> ViewFile.parse("v", with("bucket: 10s", "bucket: 10s\n    window: 1m")))
        .hasMessage("v: view 'temps': field 'window' belongs to kind sliding, this view is kind buckets (the default; add kind: sliding)");
    assertThatThrownBy(() -> ViewFile.parse("v", with("kind: running", "kind: running\n    lateness: 5s")))
        .hasMessage("v: view 'totals': field 'lateness' belongs to kind buckets, this view is kind running; remove it");
    assertThatThrownBy(() -> ViewFile.parse("v", with("kind: landmark", "kind: landmarks")))
        .hasMessage("v: view 'segments': unknown kind 'landmarks' (did you mean 'landmark'?); known kinds: buckets, sliding, running, landmark");
  }

  @Test
  void resetIsFieldEqualsValue() {
    assertThatThrownBy(() -> ViewFile.parse("v", with("reset: type=reset", "reset: reset")))
        .hasMessage("v: view 'segments': reset must be field=value, the marker that starts a new segment (e.g. reset: type=reset), got 'reset'");
    assertThatThrownBy(() -> ViewFile.parse("v", with("    reset: type=reset\n", "")))
        .hasMessage("v: view 'segments': missing field 'reset'");
  }
}
