package io.lambdastack.speed.output;

import io.lambdastack.view.config.ConfigException;
import java.io.Serializable;

/**
 * Where view updates go: {@code kafka} (upserts to the compacted speed-view topic, what serving reads),
 * {@code print} (DStream {@code print}: the first updates of each batch on stdout, for teaching and debugging)
 * or {@code text:PREFIX} ({@code saveAsTextFiles}: one directory of JSON lines per batch, PREFIX-TIME.json).
 */
public record Sink(Kind kind, String prefix) implements Serializable {
  public enum Kind { KAFKA, PRINT, TEXT }

  public static Sink parse(String spec) {
    String s = spec.trim();
    if (s.equals("kafka")) {
      return new Sink(Kind.KAFKA, null);
    }
    if (s.equals("print")) {
      return new Sink(Kind.PRINT, null);
    }
    if (s.startsWith("text:") && s.length() > "text:".length()) {
      return new Sink(Kind.TEXT, s.substring("text:".length()));
    }
    throw new ConfigException("--sink '" + spec + "' is not kafka, print or text:PREFIX "
        + "(e.g. --sink kafka --sink text:hdfs://127.0.0.1:19820/lambda/speed-out/views)");
  }

  @Override
  public String toString() {
    return kind == Kind.TEXT ? "text:" + prefix : kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
