package io.lambdastack.view.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and validates the view file (YAML). Every problem is reported as one line naming the file, the view,
 * the field and the fix; nothing half-valid is returned.
 *
 * <pre>
 * views:
 *   - name: temperature_by_sensor
 *     source: sensor-readings
 *     key: [sensorId]
 *     bucket: 10s
 *     lateness: 30s
 *     measures: [count, mean(temperature), quantiles(temperature), distinct(site) as sites]
 * </pre>
 */
public final class ViewFile {
  static final List<String> TOP_FIELDS = List.of("views");
  static final List<String> VIEW_FIELDS = List.of("name", "kind", "source", "key", "bucket", "lateness", "window", "slide", "top", "reset", "measures",
      "description");
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,99}");
  private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,99}");
  private static final Pattern MEASURE = Pattern.compile(
      "\\s*([A-Za-z]+)\\s*(?:\\(\\s*([^()\\s]*)\\s*\\))?\\s*(?:\\s+as\\s+(\\S+))?\\s*");

  /** Longest bucket or lateness: keeps all bucket arithmetic far from overflow for event times in range. */
  static final Duration MAX_SPAN = Duration.ofDays(3650);

  private ViewFile() {}

  public static ViewCatalog load(Path file) {
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ViewFileException(file + ": view file not found; pass --views FILE or set LAMBDA_VIEWS");
    } catch (IOException e) {
      throw new ViewFileException(file + ": cannot read the view file (" + e.getMessage() + ")");
    }
    return parse(file.toString(), yaml);
  }

  public static ViewCatalog parse(String origin, String yaml) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new ViewFileException(origin + ": not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new ViewFileException(origin + ": expected a mapping with a 'views' list at the top");
    }
    checkFields(origin, root, TOP_FIELDS);
    JsonNode views = root.get("views");
    if (views == null || !views.isArray() || views.isEmpty()) {
      throw new ViewFileException(origin + ": 'views' must be a non-empty list of views");
    }
    List<ViewDefinition> definitions = new ArrayList<>();
    int index = 0;
    for (JsonNode view : views) {
      index++;
      definitions.add(view(origin, index, view));
    }
    try {
      return new ViewCatalog(definitions);
    } catch (ViewFileException e) {
      throw new ViewFileException(origin + ": " + e.getMessage());
    }
  }

  private static ViewDefinition view(String origin, int index, JsonNode node) {
    if (!node.isObject()) {
      throw new ViewFileException(origin + ": views[" + index + "] must be a mapping with name, source, key, bucket, measures");
    }
    String name = requiredText(origin, "views[" + index + "]", node, "name");
    String where = origin + ": view '" + name + "'";
    if (!NAME.matcher(name).matches()) {
      throw new ViewFileException(where + ": name must start with a letter and hold only letters, digits, '_' or '-' (it is used in URLs)");
    }
    checkFields(where, node, VIEW_FIELDS);
    ViewKind kind = kind(where, node);
    checkKindFields(where, node, kind);
    String source = requiredText(where, "", node, "source");
    List<String> key = keyFields(where, node.get("key"));
    List<MeasureSpec> measures = measures(where, node.get("measures"));
    return switch (kind) {
      case BUCKETS -> new ViewDefinition(name, source, key, span(where, node, "bucket"), lateness(where, node), measures);
      case SLIDING -> sliding(where, node, name, source, key, measures);
      case RUNNING -> new ViewDefinition(name, source, key, MAX_SPAN, Duration.ZERO, measures, kind, null, null);
      case LANDMARK -> {
        if (measures.stream().anyMatch(m -> m.name().equals("closed"))) {
          throw new ViewFileException(where + ": 'closed' is the name landmark segments use to say whether they are "
              + "closed; rename the measure with 'as NAME'");
        }
        yield new ViewDefinition(name, source, key, MAX_SPAN, Duration.ZERO, measures, kind, null,
            resetMarker(where, requiredText(where, "", node, "reset")));
      }
    };
  }

  private static ViewKind kind(String where, JsonNode node) {
    if (!node.has("kind")) {
      return ViewKind.BUCKETS;
    }
    String text = node.get("kind").asText();
    return ViewKind.of(text).orElseThrow(() -> new ViewFileException(where + ": unknown kind '" + text + "'"
        + suggestion(text, java.util.Arrays.stream(ViewKind.values()).map(ViewKind::token).toList())
        + "; known kinds: " + ViewKind.known()));
  }

  /** Each kind takes its own fields: a field of another kind is a mistake worth one precise line. */
  private static void checkKindFields(String where, JsonNode node, ViewKind kind) {
    for (java.util.Map.Entry<String, ViewKind> owned : KIND_FIELDS.entrySet()) {
      String field = owned.getKey();
      boolean allowed = owned.getValue() == kind || (field.equals("lateness") && kind == ViewKind.BUCKETS);
      if (node.has(field) && !allowed) {
        throw new ViewFileException(where + ": field '" + field + "' belongs to kind " + owned.getValue().token()
            + ", this view is kind " + kind.token() + (kind == ViewKind.BUCKETS ? " (the default; add kind: "
            + owned.getValue().token() + ")" : "; remove it"));
      }
    }
  }

  /** Fields that only one kind takes. */
  private static final java.util.Map<String, ViewKind> KIND_FIELDS = new java.util.LinkedHashMap<>(java.util.Map.of(
      "bucket", ViewKind.BUCKETS, "lateness", ViewKind.BUCKETS, "window", ViewKind.SLIDING, "slide", ViewKind.SLIDING,
      "top", ViewKind.SLIDING, "reset", ViewKind.LANDMARK));

  private static ViewDefinition sliding(String where, JsonNode node, String name, String source, List<String> key,
      List<MeasureSpec> measures) {
    Duration window = span(where, node, "window");
    Duration slide = span(where, node, "slide");
    if (window.toMillis() % slide.toMillis() != 0) {
      throw new ViewFileException(where + ": window " + Durations.format(window) + " must be a multiple of slide "
          + Durations.format(slide) + " (e.g. window: 10m, slide: 10s)");
    }
    for (MeasureSpec m : measures) {
      if (!INVERTIBLE.contains(m.kind())) {
        throw new ViewFileException(where + ": measure '" + m.expression() + "' cannot slide: a sliding window subtracts "
            + "the batches that leave it, so only count, sum(f) and mean(f) are allowed");
      }
    }
    int top = 0;
    if (node.has("top")) {
      JsonNode t = node.get("top");
      if (!t.canConvertToInt() || !t.isIntegralNumber() || t.asInt() < 1 || t.asInt() > 1000) {
        throw new ViewFileException(where + ": top must be a whole number from 1 to 1000, got '" + t.asText() + "'");
      }
      top = t.asInt();
    }
    return new ViewDefinition(name, source, key, slide, Duration.ZERO, measures, ViewKind.SLIDING,
        new SlidingWindow(window, slide, top), null);
  }

  /** The measures a sliding window can subtract exactly (sums are exact, so subtraction leaves no residue). */
  private static final Set<MeasureKind> INVERTIBLE = Set.of(MeasureKind.COUNT, MeasureKind.SUM, MeasureKind.MEAN);

  private static ResetMarker resetMarker(String where, String text) {
    String[] parts = text.split("=", 2);
    if (parts.length != 2 || !FIELD.matcher(parts[0].trim()).matches() || parts[1].isBlank()) {
      throw new ViewFileException(where + ": reset must be field=value, the marker that starts a new segment "
          + "(e.g. reset: type=reset), got '" + text + "'");
    }
    return new ResetMarker(parts[0].trim(), parts[1].trim());
  }

  /** A positive whole-millisecond duration up to {@link #MAX_SPAN} (bucket, window, slide). */
  private static Duration span(String where, JsonNode node, String field) {
    Duration d = duration(where, field, requiredText(where, "", node, field));
    String text = node.get(field).asText();
    if (d.isZero() || d.isNegative()) {
      throw new ViewFileException(where + ": " + (field.equals("bucket") ? "bucket width" : field)
          + " must be positive, got '" + text + "' (e.g. " + field + ": 1m)");
    }
    if (d.compareTo(MAX_SPAN) > 0 || d.getNano() % 1_000_000 != 0) {
      throw new ViewFileException(where + ": " + (field.equals("bucket") ? "bucket width" : field)
          + " must be whole milliseconds up to 3650d, got '" + text + "'");
    }
    return d;
  }

  private static Duration lateness(String where, JsonNode node) {
    Duration lateness = node.has("lateness") ? duration(where, "lateness", node.get("lateness").asText()) : Duration.ZERO;
    if (lateness.isNegative()) {
      throw new ViewFileException(where + ": lateness must not be negative, got '" + node.get("lateness").asText() + "' (use 0s for none)");
    }
    if (lateness.compareTo(MAX_SPAN) > 0) {
      throw new ViewFileException(where + ": lateness must be at most 3650d, got '" + node.get("lateness").asText() + "'");
    }
    return lateness;
  }

  private static List<String> keyFields(String where, JsonNode key) {
    List<String> fields = new ArrayList<>();
    if (key != null && key.isTextual()) {
      fields.add(key.asText());
    } else if (key != null && key.isArray()) {
      key.forEach(k -> fields.add(k.asText()));
    }
    if (fields.isEmpty()) {
      throw new ViewFileException(where + ": 'key' must name at least one field, e.g. key: [sensorId]");
    }
    for (String field : fields) {
      if (!FIELD.matcher(field).matches()) {
        throw new ViewFileException(where + ": key field '" + field + "' is not a field name");
      }
    }
    return fields;
  }

  private static List<MeasureSpec> measures(String where, JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw new ViewFileException(where + ": 'measures' must be a non-empty list, e.g. measures: [count, mean(temperature)]");
    }
    List<MeasureSpec> measures = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode m : node) {
      MeasureSpec spec = measure(where, m.asText());
      if (!names.add(spec.name())) {
        throw new ViewFileException(where + ": two measures are named '" + spec.name() + "'; rename one with 'as NAME'");
      }
      measures.add(spec);
    }
    return measures;
  }

  static MeasureSpec measure(String where, String text) {
    Matcher m = MEASURE.matcher(text);
    if (!m.matches()) {
      throw new ViewFileException(where + ": measure '" + text + "' is not of the form fn, fn(field) or fn(field) as name");
    }
    MeasureKind kind = MeasureKind.of(m.group(1)).orElseThrow(() -> new ViewFileException(
        where + ": unknown measure '" + m.group(1) + "' in '" + text.trim() + "'" + suggestion(m.group(1),
            java.util.Arrays.stream(MeasureKind.values()).map(MeasureKind::token).toList())
            + "; known measures: " + MeasureKind.known()));
    String field = m.group(2) == null || m.group(2).isEmpty() ? null : m.group(2);
    if (kind.needsField() && field == null) {
      throw new ViewFileException(where + ": measure '" + kind.token() + "' needs a field, e.g. " + kind.token() + "(temperature)");
    }
    if (!kind.needsField() && field != null) {
      throw new ViewFileException(where + ": measure 'count' takes no field (it counts events); write count");
    }
    if (field != null && !FIELD.matcher(field).matches()) {
      throw new ViewFileException(where + ": '" + field + "' in measure '" + text.trim() + "' is not a field name");
    }
    String name = m.group(3) != null ? m.group(3) : MeasureSpec.defaultName(kind, field);
    if (!FIELD.matcher(name).matches()) {
      throw new ViewFileException(where + ": measure name '" + name + "' must be a plain identifier");
    }
    return new MeasureSpec(name, kind, field);
  }

  private static void checkFields(String where, JsonNode node, List<String> allowed) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String field = names.next();
      if (!allowed.contains(field)) {
        throw new ViewFileException(where + ": unknown field '" + field + "'" + suggestion(field, allowed)
            + "; allowed fields: " + String.join(", ", allowed));
      }
    }
  }

  private static String requiredText(String where, String path, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || value.isContainerNode() || value.asText().isBlank()) {
      throw new ViewFileException(where + (path.isEmpty() ? "" : " " + path) + ": missing field '" + field + "'");
    }
    return value.asText().trim();
  }

  private static Duration duration(String where, String field, String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ViewFileException(where + ": " + field + " " + e.getMessage());
    }
  }

  /** "(did you mean 'bucket'?)" when a known word is within two edits. */
  static String suggestion(String word, List<String> known) {
    return known.stream()
        .filter(k -> editDistance(word.toLowerCase(), k.toLowerCase()) <= 2)
        .min(Comparator.comparingInt(k -> editDistance(word.toLowerCase(), k.toLowerCase())))
        .map(k -> " (did you mean '" + k + "'?)").orElse("");
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(substitution, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev; prev = cur; cur = t;
    }
    return prev[b.length()];
  }
}
