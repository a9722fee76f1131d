package io.lambdastack.batch.recompute;

import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.event.Event;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.JavaConverters;

/**
 * Counts, per view, the events the speed layer refuses as late and only the batch layer includes (the Lambda
 * correction). The speed layer's rule ({@code OpenBuckets.isClosed}): per (view, key), an event is late when
 * its bucket ended at least {@code lateness} before the newest event time seen earlier for that key. Here
 * "earlier" is arrival order: Kafka timestamp, then partition and offset. (The speed layer applies the rule
 * per micro-batch, so an event whose key advanced within the same batch is not late there; this count is
 * the per-event reading of the rule.)
 *
 * <p>Runs as a Spark SQL window over the master dataset's columns (a sort per key in Spark's own memory
 * format); the key is the view's own {@code keyOf}, as a UDF, so it is the same key as in the views.
 */
public final class LateEvents {
  private LateEvents() {}

  /** @param rows the master dataset of one topic: attributes, values, kafka_timestamp, partition, offset, event_time */
  public static Map<String, Long> count(Dataset<Row> rows, String topic, ViewCatalog catalog) {
    Map<String, Long> late = new LinkedHashMap<>();
    for (ViewDefinition view : catalog.readingFrom(topic)) {
      Column key = functions.udf(keyOf(view), DataTypes.StringType)
          .apply(functions.col("attributes"), functions.col("values"));
      WindowSpec earlier = Window.partitionBy("k").orderBy("kafka_timestamp", "partition", "offset")
          .rowsBetween(Window.unboundedPreceding(), -1);
      // The speed layer's own rule (ViewDefinition.isClosed), applied to each event and the watermark before it.
      Column isLate = functions.udf((UDF2<Long, Long, Boolean>) (eventTime, watermark) ->
          watermark != null && view.isClosed(view.bucketStart(eventTime), watermark), DataTypes.BooleanType)
          .apply(functions.col("event_time"), functions.col("watermark"));
      long n = rows.select(key.as("k"), functions.col("kafka_timestamp"), functions.col("partition"), functions.col("offset"),
              functions.col("event_time"))
          .where(functions.col("k").isNotNull())
          .withColumn("watermark", functions.max("event_time").over(earlier))
          .where(functions.col("watermark").isNotNull().and(isLate))
          .count();
      late.put(view.name(), n);
    }
    return late;
  }

  private static UDF2<scala.collection.Map<String, String>, scala.collection.Map<String, Double>, String> keyOf(ViewDefinition view) {
    return (attributes, values) -> {
      Map<String, String> a = JavaConverters.mapAsJavaMap(attributes);
      Map<String, Double> v = JavaConverters.mapAsJavaMap(values);
      return view.keyOf(field -> Event.text(a, v, field));
    };
  }
}
