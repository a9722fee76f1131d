package io.lambdastack.batch.recompute;

import io.lambdastack.view.definition.ViewDefinition;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A topic's events routed to the cells of its bucket views, in Spark SQL: each event becomes one row per
 * view it belongs to, with the view's index, the view's key ({@link ViewDefinition#keyOf}, via
 * {@link ViewColumns#key}) and the start of its bucket (floor of the event time to the bucket width, as
 * {@link ViewDefinition#bucketStart}); events missing a key field are in no cell, as in the speed layer.
 */
final class ViewCells {
  private ViewCells() {}

  /** @return view, key, bucket, then the projected columns */
  static Dataset<Row> route(Dataset<Row> projected, List<ViewDefinition> views, ViewColumns columns) {
    List<Column> rest = columns.names().stream().map(functions::col).toList();
    Dataset<Row> routed;
    if (views.size() == 1) {
      routed = projected.select(concat(List.of(functions.lit(0).as("view"), columns.key(views.get(0)).as("key"),
          bucket(views.get(0)).as("bucket")), rest));
    } else {
      List<Column> cells = new ArrayList<>();
      for (int i = 0; i < views.size(); i++) {
        cells.add(functions.struct(functions.lit(i).as("view"), columns.key(views.get(i)).as("key"), bucket(views.get(i)).as("bucket")));
      }
      routed = projected.select(concat(List.of(functions.explode(functions.array(cells.toArray(Column[]::new))).as("cell")), rest))
          .select(concat(List.of(functions.col("cell.view").as("view"), functions.col("cell.key").as("key"),
              functions.col("cell.bucket").as("bucket")), rest));
    }
    return routed.where(functions.col("key").isNotNull());
  }

  /** One row per (view, key, bucket): the cell, folded by {@link CellAggregator} (encoded {@link CellAggregator.Result}). */
  static Dataset<Row> aggregate(Dataset<Row> projected, List<ViewDefinition> views, ViewColumns columns) {
    CellAggregator aggregator = new CellAggregator(views, columns);
    List<Column> read = columns.names().stream().map(functions::col).toList();
    Column cell = functions.udaf(aggregator, Encoders.row(CellAggregator.inputSchema(projected.select(read.toArray(Column[]::new)).schema())))
        .apply(concat(List.of(functions.col("view")), read));
    return route(projected, views, columns).groupBy("view", "key", "bucket").agg(cell.as("cell"));
  }

  /**
   * {@link ViewDefinition#bucketStart} in SQL (a grouping column, so no per-row UDF): the floor, also before
   * 1970, of the event time to the width. {@code LateEventsTest} holds the two equal, pre-1970 events included.
   */
  private static Column bucket(ViewDefinition view) {
    Column t = functions.col("event_time");
    return t.minus(functions.pmod(t, functions.lit(view.bucketWidthMillis())));
  }

  private static Column[] concat(List<Column> first, List<Column> rest) {
    List<Column> all = new ArrayList<>(first);
    all.addAll(rest);
    return all.toArray(Column[]::new);
  }
}
