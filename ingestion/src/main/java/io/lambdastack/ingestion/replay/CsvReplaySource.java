package io.lambdastack.ingestion.replay;

import io.lambdastack.view.config.ConfigException;
import io.lambdastack.view.event.EventJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a CSV file (a header row; fields may be double-quoted) into a {@link ReplayTable}: the time column
 * (ISO-8601 or epoch millis) is the event time, columns whose every non-empty value is a number are values,
 * the others attributes; empty fields are nulls. A bad row fails the load, naming the line.
 */
public final class CsvReplaySource {
  private CsvReplaySource() {}

  public static ReplayTable load(Path file, String timeField) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(file + ": no such file");
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new ConfigException(file + ": empty (a header row is needed)");
    }
    List<String> header = split(lines.get(0), file, 1);
    int timeIndex = header.indexOf(timeField);
    if (timeIndex < 0) {
      throw new ConfigException(file + ": no column '" + timeField + "' for the event time; columns: " + header
          + " (choose one with --time-field)");
    }
    List<List<String>> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) continue;
      List<String> row = split(lines.get(i), file, i + 1);
      if (row.size() != header.size()) {
        throw new ConfigException(file + ":" + (i + 1) + ": " + row.size() + " fields, the header has " + header.size());
      }
      rows.add(row);
    }
    long[] times = new long[rows.size()];
    for (int r = 0; r < rows.size(); r++) {
      String t = rows.get(r).get(timeIndex);
      int line = r + 2;
      times[r] = EventJson.parseTime(t).orElseThrow(() -> new ConfigException(
          file + ":" + line + ": " + timeField + " '" + t + "' is neither ISO-8601 nor epoch millis"));
    }
    List<ReplayTable.Column> columns = new ArrayList<>();
    for (int c = 0; c < header.size(); c++) {
      if (c == timeIndex) continue;
      final int col = c;
      boolean numeric = rows.stream().map(r -> r.get(col)).filter(v -> !v.isEmpty()).allMatch(CsvReplaySource::isNumber);
      ReplayTable.Column column = new ReplayTable.Column(header.get(c), rows.size(), numeric ? 'd' : 's');
      for (int r = 0; r < rows.size(); r++) {
        String v = rows.get(r).get(c);
        if (v.isEmpty()) column.nulls.set(r);
        else if (numeric) column.doubles[r] = Double.parseDouble(v);
        else column.texts[r] = v;
      }
      columns.add(column);
    }
    return new ReplayTable(columns, times, file.getFileName().toString().replaceFirst("\\.csv$", "") + "-", null);
  }

  private static boolean isNumber(String v) {
    try {
      return Double.isFinite(Double.parseDouble(v));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Splits one CSV line: commas, double-quoted fields with "" as a quote. */
  static List<String> split(String line, Path file, int lineNumber) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          field.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        fields.add(field.toString().trim());
        field.setLength(0);
      } else {
        field.append(ch);
      }
    }
    if (quoted) {
      throw new ConfigException(file + ":" + lineNumber + ": unterminated quoted field");
    }
    fields.add(field.toString().trim());
    return fields;
  }
}
