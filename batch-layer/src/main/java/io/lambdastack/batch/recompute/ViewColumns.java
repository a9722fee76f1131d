package io.lambdastack.batch.recompute;

import io.lambdastack.view.definition.MeasureKind;
import io.lambdastack.view.definition.MeasureSpec;
import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.FieldMaps;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The master dataset's columns that a topic's views read: the event time, the arrival order, and each key or
 * measure field taken out of the {@code attributes} and {@code values} maps as its own pair of columns. The
 * recompute caches this projection, not the maps: a cached row is a few flat columns, and turning it back into
 * an {@link Event} costs two tiny maps instead of copying every attribute of the event (measured: that copy,
 * not the fold, was most of the recompute's time).
 *
 * <p>Field {@code i} becomes {@code a<i>} (its attribute, or null; only for fields read as text) and
 * {@code v<i>} (its number, or null), so any field name works as a column. {@link #event} rebuilds the event
 * with just those fields; the views see the same texts and numbers as from the full event, so they fold the
 * same.
 */
public final class ViewColumns implements Serializable {
  /** Positions of the projected columns ({@link #select}); the fields' columns follow from {@code FIELDS} on. */
  static final int PARTITION = 0;
  static final int OFFSET = 1;
  static final int KAFKA_TIMESTAMP = 2;
  static final int EVENT_TIME = 3;
  static final int FIELDS = 4;
  /**
   * No measure reads an event's id, and it is the widest column (a distinct string per event): not read. The
   * rebuilt events carry this one instead.
   */
  static final String UNREAD_ID = "-";

  private final List<String> fields;
  /** Fields read as text (key fields, distinct counts): their attribute is projected too; the others are numbers. */
  private final Set<String> texts;
  /** Position of field {@code i}'s attribute column, or -1 when it is read as a number only; of its number column. */
  private final int[] attributeAt;
  private final int[] numberAt;

  private ViewColumns(List<String> fields, Set<String> texts) {
    this.fields = List.copyOf(fields);
    this.texts = Set.copyOf(texts);
    this.attributeAt = new int[fields.size()];
    this.numberAt = new int[fields.size()];
    int at = FIELDS;
    for (int i = 0; i < fields.size(); i++) {
      attributeAt[i] = texts.contains(fields.get(i)) ? at++ : -1;
      numberAt[i] = at++;
    }
  }

  /** The fields read by the views of {@code topic}: every key field and every measure's field. */
  public static ViewColumns of(ViewCatalog catalog, String topic) {
    TreeSet<String> fields = new TreeSet<>();
    Set<String> texts = new HashSet<>();
    for (ViewDefinition view : catalog.readingFrom(topic)) {
      fields.addAll(view.keyFields());
      texts.addAll(view.keyFields());
      for (MeasureSpec m : view.measures()) {
        if (m.field() != null) {
          fields.add(m.field());
          if (m.kind() == MeasureKind.DISTINCT) {
            texts.add(m.field());
          }
        }
      }
    }
    return new ViewColumns(new ArrayList<>(fields), texts);
  }

  public List<String> fields() {
    return fields;
  }

  /** @param rows the master dataset (its file columns) */
  public Dataset<Row> select(Dataset<Row> rows) {
    List<Column> columns = new ArrayList<>(List.of(functions.col("partition"), functions.col("offset"),
        functions.col("kafka_timestamp"), functions.col("event_time")));
    for (int i = 0; i < fields.size(); i++) {
      if (attributeAt[i] >= 0) {
        columns.add(functions.col("attributes").getItem(fields.get(i)).as("a" + i));
      }
      columns.add(functions.col("values").getItem(fields.get(i)).as("v" + i));
    }
    return rows.select(columns.toArray(Column[]::new));
  }

  /** The names of the projected columns, in order. */
  public List<String> names() {
    List<String> names = new ArrayList<>(List.of("partition", "offset", "kafka_timestamp", "event_time"));
    for (int i = 0; i < fields.size(); i++) {
      if (attributeAt[i] >= 0) {
        names.add("a" + i);
      }
      names.add("v" + i);
    }
    return names;
  }

  /** The event of a projected row, with the views' fields only. */
  public Event event(Row row) {
    return event(row, 0);
  }

  /** The event of a row holding the projected columns from position {@code base} on. */
  public Event event(Row row, int base) {
    // Immutable maps from the start (FieldMaps): Event keeps them as they are, one event per row.
    int n = fields.size();
    Object[] attributes = new Object[2 * n];
    Object[] numbers = new Object[2 * n];
    int t = 0;
    int v = 0;
    for (int i = 0; i < n; i++) {
      int a = base + attributeAt[i];
      if (attributeAt[i] >= 0 && !row.isNullAt(a)) {
        attributes[t++] = fields.get(i);
        attributes[t++] = row.getString(a);
      }
      int number = base + numberAt[i];
      if (!row.isNullAt(number)) {
        numbers[v++] = fields.get(i);
        numbers[v++] = row.getDouble(number);
      }
    }
    return new Event(UNREAD_ID, row.getLong(base + EVENT_TIME), FieldMaps.of(attributes, t / 2), FieldMaps.of(numbers, v / 2));
  }

  /**
   * The view's key of each projected row, by the view's own {@link ViewDefinition#keyOf} (as a UDF over the
   * key fields' columns), null when a key field is missing.
   */
  public Column key(ViewDefinition view) {
    if (view.keyFields().size() == 1) { // the common case, without a UDF per row: the attribute, else the number's text
      String field = view.keyFields().get(0);
      int i = fields.indexOf(field);
      if (i < 0) {
        throw new IllegalArgumentException("key field " + field + " of view " + view.name() + " is not projected");
      }
      UDF1<Double, String> numberText = v -> v == null ? null : Event.text(Map.of(), Map.of(field, v), field);
      return functions.coalesce(functions.col("a" + i), functions.udf(numberText, DataTypes.StringType).apply(functions.col("v" + i)));
    }
    List<Column> parts = new ArrayList<>();
    for (String field : view.keyFields()) {
      int i = fields.indexOf(field);
      if (i < 0) {
        throw new IllegalArgumentException("key field " + field + " of view " + view.name() + " is not projected");
      }
      parts.add(functions.col("a" + i));
      parts.add(functions.col("v" + i));
    }
    List<String> keyFields = view.keyFields();
    UDF1<Row, String> keyOf = struct -> view.keyOf(field -> {
      int at = 2 * keyFields.indexOf(field);
      if (!struct.isNullAt(at)) {
        return struct.getString(at);
      }
      return struct.isNullAt(at + 1) ? null : Event.text(Map.of(), Map.of(field, struct.getDouble(at + 1)), field);
    });
    return functions.udf(keyOf, DataTypes.StringType).apply(functions.struct(parts.toArray(Column[]::new)));
  }
}
