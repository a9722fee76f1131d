package io.lambdastack.speed.input;

import io.lambdastack.view.config.ConfigException;
import java.io.Serializable;

/**
 * Where the speed layer reads events: {@code kafka} (the direct stream; the views' source topics), or lines of
 * JSON events from {@code socket:HOST:PORT} ({@code socketTextStream}) or {@code dir:PATH}
 * ({@code textFileStream}: files moved into an HDFS landing directory). Lines carry no topic, so they feed the
 * views whose source is {@code topic}.
 */
public record SpeedInput(Kind kind, String host, int port, String directory, String topic) implements Serializable {
  public enum Kind { KAFKA, SOCKET, DIRECTORY }

  public static SpeedInput kafka() {
    return new SpeedInput(Kind.KAFKA, null, 0, null, null);
  }

  /** @throws ConfigException in one line when the form is wrong */
  public static SpeedInput parse(String spec, String topic) {
    String s = spec.trim();
    if (s.equals("kafka")) {
      return kafka();
    }
    if (s.startsWith("socket:")) {
      String[] hp = s.substring("socket:".length()).split(":");
      if (hp.length == 2 && hp[1].matches("\\d{1,5}") && !hp[0].isBlank()) {
        return new SpeedInput(Kind.SOCKET, hp[0], Integer.parseInt(hp[1]), null, topic);
      }
    }
    if (s.startsWith("dir:") && s.length() > "dir:".length()) {
      return new SpeedInput(Kind.DIRECTORY, null, 0, s.substring("dir:".length()), topic);
    }
    throw new ConfigException("--input '" + spec + "' is not kafka, socket:HOST:PORT or dir:PATH "
        + "(e.g. --input dir:hdfs://127.0.0.1:19820/lambda/landing)");
  }

  @Override
  public String toString() {
    return switch (kind) {
      case KAFKA -> "kafka";
      case SOCKET -> "socket:" + host + ":" + port + " as " + topic;
      case DIRECTORY -> "dir:" + directory + " as " + topic;
    };
  }
}
