package io.lambdastack.view.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  static final ConfigField<Integer> PORT = ConfigField.port("serving.port", 8080, "HTTP port of the serving layer");
  static final ConfigField<String> DIR = ConfigField.string("state.dir", ".lambda", "where state lives");
  static final List<ConfigField<?>> FIELDS = List.of(PORT, DIR);

  @Test
  void fileThenEnvironmentThenCommandLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("lambda.properties"), "serving.port=9000\nstate.dir=/data\n");
    assertThat(Settings.load(FIELDS, file, Map.of(), Map.of()).get(PORT)).isEqualTo(9000);
    Settings s = Settings.load(FIELDS, file, Map.of("LAMBDA_SERVING_PORT", "9100"), Map.of());
    assertThat(s.get(PORT)).isEqualTo(9100);
    assertThat(s.get(DIR)).isEqualTo("/data");
    assertThat(s.origins()).containsEntry("serving.port", "environment variable LAMBDA_SERVING_PORT");
    assertThat(Settings.load(FIELDS, file, Map.of("LAMBDA_SERVING_PORT", "9100"), Map.of("serving.port", "9200")).get(PORT)).isEqualTo(9200);
  }

  @Test
  void badValuesFailInOneLineNamingTheSource() {
    assertThatThrownBy(() -> Settings.load(FIELDS, null, Map.of("LAMBDA_SERVING_PORT", "eighty"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("serving.port='eighty' (from environment variable LAMBDA_SERVING_PORT) is not an integer; HTTP port of the serving layer");
  }

  @Test
  void unknownKeysInTheFileAreRejected(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("l.properties"), "serving.prot=1\n");
    assertThatThrownBy(() -> Settings.load(FIELDS, file, Map.of(), Map.of()))
        .hasMessage(file + ": unknown setting 'serving.prot'; known settings: serving.port, state.dir");
  }
}
