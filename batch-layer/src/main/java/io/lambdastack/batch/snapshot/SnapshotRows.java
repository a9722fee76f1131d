package io.lambdastack.batch.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdastack.view.update.ViewUpdate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A batch view row: one (key, bucket) with its answers as JSON (the same map the serving layer returns for the
 * speed layer) and the encoded mergeable aggregate, so the serving layer can merge or re-answer it.
 */
public final class SnapshotRows {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final StructType SCHEMA = new StructType()
      .add("view", DataTypes.StringType, false)
      .add("key", DataTypes.StringType, false)
      .add("bucket_start", DataTypes.LongType, false)
      .add("bucket_end", DataTypes.LongType, false)
      .add("events", DataTypes.LongType, false)
      .add("measures", DataTypes.StringType, false)
      .add("aggregate", DataTypes.BinaryType, false);

  private SnapshotRows() {}

  /** The measures' answers as the snapshot's JSON column. */
  public static String measuresJson(Map<String, Object> measures) {
    try {
      return JSON.writeValueAsString(measures);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Row row(ViewUpdate u) {
    try {
      return RowFactory.create(u.view(), u.key(), u.bucketStart(), u.bucketEnd(), u.events(),
          JSON.writeValueAsString(u.measures()), u.aggregate());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A row read back as the update it was made of ({@code layer} "batch", {@code updatedAt} the snapshot's time). */
  @SuppressWarnings("unchecked")
  public static ViewUpdate update(Row r, long createdAt) {
    try {
      Map<String, Object> measures = JSON.readValue(r.getString(r.fieldIndex("measures")), LinkedHashMap.class);
      return new ViewUpdate(r.getString(r.fieldIndex("view")), r.getString(r.fieldIndex("key")),
          r.getLong(r.fieldIndex("bucket_start")), r.getLong(r.fieldIndex("bucket_end")), r.getLong(r.fieldIndex("events")),
          measures, (byte[]) r.get(r.fieldIndex("aggregate")), "batch", createdAt);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("unreadable measures in a snapshot row: " + e.getMessage(), e);
    }
  }
}
