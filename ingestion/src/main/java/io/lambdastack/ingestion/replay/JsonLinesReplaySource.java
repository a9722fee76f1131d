package io.lambdastack.ingestion.replay;

import io.lambdastack.view.config.ConfigException;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.EventFormatException;
import io.lambdastack.view.event.EventJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loads a file of JSON events, one per line, into a {@link ReplayTable}; a bad line fails the load, naming it. */
public final class JsonLinesReplaySource {
  private JsonLinesReplaySource() {}

  public static ReplayTable load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(file + ": no such file");
    }
    List<Event> events = new ArrayList<>();
    int n = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      n++;
      if (line.isBlank()) continue;
      try {
        events.add(EventJson.parse(line.getBytes(StandardCharsets.UTF_8)));
      } catch (EventFormatException e) {
        throw new ConfigException(file + ":" + n + ": " + e.reason() + " (replay sends valid events; use produce lines for raw records)");
      }
    }
    Map<String, ReplayTable.Column> columns = new LinkedHashMap<>();
    long[] times = new long[events.size()];
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      times[i] = e.eventTime();
      for (Map.Entry<String, String> a : e.attributes().entrySet()) {
        column(columns, a.getKey(), events.size(), 's').texts[i] = a.getValue();
      }
      for (Map.Entry<String, Double> v : e.values().entrySet()) {
        column(columns, v.getKey(), events.size(), 'd').doubles[i] = v.getValue();
      }
    }
    for (ReplayTable.Column c : columns.values()) { // absent in a row = null
      for (int i = 0; i < events.size(); i++) {
        Event e = events.get(i);
        if (c.texts != null ? !e.attributes().containsKey(c.name) : !e.values().containsKey(c.name)) {
          c.nulls.set(i);
        }
      }
    }
    return new ReplayTable(new ArrayList<>(columns.values()), times, "", events.stream().map(Event::id).toArray(String[]::new));
  }

  private static ReplayTable.Column column(Map<String, ReplayTable.Column> columns, String name, int rows, char kind) {
    ReplayTable.Column c = columns.computeIfAbsent(name + ":" + kind, k -> new ReplayTable.Column(name, rows, kind));
    return c;
  }
}
