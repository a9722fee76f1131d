package io.lambdastack.view.config;

import java.util.function.Function;

/**
 * A declared configuration field (Debezium style): key, default, documentation and a parser that rejects
 * bad values with a reason. Set in the config file as {@code key=value}, overridden by the environment
 * variable {@link #envName()} and then by command-line options.
 */
public record ConfigField<T>(String key, String defaultValue, String doc, Function<String, T> parser) {

  public String envName() {
    return "LAMBDA_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public static ConfigField<String> string(String key, String defaultValue, String doc) {
    return new ConfigField<>(key, defaultValue, doc, v -> {
      if (v.isBlank()) throw new IllegalArgumentException("must not be empty");
      return v.trim();
    });
  }

  public static ConfigField<Integer> port(String key, int defaultValue, String doc) {
    return new ConfigField<>(key, Integer.toString(defaultValue), doc, v -> {
      int port = integer(v);
      if (port < 0 || port > 65535) throw new IllegalArgumentException("is not a port number (0-65535)");
      return port;
    });
  }

  public static ConfigField<Integer> positiveInt(String key, int defaultValue, String doc) {
    return new ConfigField<>(key, Integer.toString(defaultValue), doc, v -> {
      int n = integer(v);
      if (n <= 0) throw new IllegalArgumentException("must be a positive integer");
      return n;
    });
  }

  public static ConfigField<java.time.Duration> duration(String key, String defaultValue, String doc) {
    return new ConfigField<>(key, defaultValue, doc, v -> {
      java.time.Duration d = io.lambdastack.view.definition.Durations.parse(v);
      if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("must be a positive duration");
      return d;
    });
  }

  private static int integer(String v) {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("is not an integer");
    }
  }
}
