package io.lambdastack.infra.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.view.config.Settings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlatformSettingsTest {
  @Test
  void theExampleSettingsFileIsValidAndStatesTheDefaults() {
    Settings fromFile = Settings.load(PlatformSettings.ALL, Path.of("../config/lambda.properties.example"), Map.of(), Map.of());
    Settings defaults = Settings.load(PlatformSettings.ALL, null, Map.of(), Map.of());
    PlatformSettings.ALL.forEach(f -> assertThat((Object) fromFile.get(f)).as(f.key()).isEqualTo(defaults.get(f)));
  }

  @Test
  void environmentOverridesTheFile() {
    Settings s = Settings.load(PlatformSettings.ALL, Path.of("../config/lambda.properties.example"),
        Map.of("LAMBDA_SERVING_PORT", "8081", "LAMBDA_TOPICS_SPEED_VIEWS", "views-v2"), Map.of());
    assertThat(s.get(PlatformSettings.SERVING_PORT)).isEqualTo(8081);
    assertThat(s.get(PlatformSettings.SPEED_VIEW_TOPIC)).isEqualTo("views-v2");
  }
}
