package io.lambdastack.view.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Validated settings: defaults, then the properties file, then {@code LAMBDA_*} environment variables, then
 * explicit overrides (command-line options). Every field is parsed up front, so bad config fails at startup
 * in one line that says where the value came from.
 */
public final class Settings {
  private final Map<String, Object> values = new HashMap<>();
  private final Map<String, String> origins = new LinkedHashMap<>();

  private Settings() {}

  public static Settings load(List<ConfigField<?>> fields, Path file, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> raw = new LinkedHashMap<>();
    Map<String, String> origin = new HashMap<>();
    for (ConfigField<?> f : fields) {
      raw.put(f.key(), f.defaultValue());
      origin.put(f.key(), "default");
    }
    if (file != null) {
      Properties props = read(file);
      for (String key : props.stringPropertyNames()) {
        if (!raw.containsKey(key)) {
          throw new ConfigException(file + ": unknown setting '" + key + "'; known settings: "
              + fields.stream().map(ConfigField::key).collect(Collectors.joining(", ")));
        }
        raw.put(key, props.getProperty(key));
        origin.put(key, file.toString());
      }
    }
    for (ConfigField<?> f : fields) {
      String fromEnv = env.get(f.envName());
      if (fromEnv != null) {
        raw.put(f.key(), fromEnv);
        origin.put(f.key(), "environment variable " + f.envName());
      }
      String fromCli = overrides.get(f.key());
      if (fromCli != null) {
        raw.put(f.key(), fromCli);
        origin.put(f.key(), "command line");
      }
    }
    Settings settings = new Settings();
    for (ConfigField<?> f : fields) {
      String value = raw.get(f.key());
      try {
        settings.values.put(f.key(), f.parser().apply(value == null ? "" : value));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(f.key() + "='" + value + "' (from " + origin.get(f.key()) + ") " + e.getMessage()
            + "; " + f.doc());
      }
      settings.origins.put(f.key(), origin.get(f.key()));
    }
    return settings;
  }

  private static Properties read(Path file) {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      props.load(reader);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ConfigException(file + ": config file not found; pass an existing file or none");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read config file (" + e.getMessage() + ")");
    }
    return props;
  }

  @SuppressWarnings("unchecked")
  public <T> T get(ConfigField<T> field) {
    if (!values.containsKey(field.key())) {
      throw new IllegalArgumentException("setting " + field.key() + " was not declared");
    }
    return (T) values.get(field.key());
  }

  /** Where each value came from (default, file, environment, command line), for the startup log. */
  public Map<String, String> origins() {
    return Map.copyOf(origins);
  }
}
