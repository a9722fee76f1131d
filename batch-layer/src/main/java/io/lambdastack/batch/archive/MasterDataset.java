package io.lambdastack.batch.archive;

import io.lambdastack.view.event.Event;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The master dataset: the clean topic's events, immutable, as Parquet on HDFS under
 * {@code <root>/<topic>/date=YYYY-MM-DD/hour=HH/} (UTC event time). Every row keeps where it came from
 * (topic, partition, offset), so the archive can prove it holds each offset exactly once. Directories whose
 * names start with {@code _} (the archive log, staging, rejected records) are not data: Spark skips them.
 */
public final class MasterDataset {
  public static final String DATE = "date";
  public static final String HOUR = "hour";

  /** The columns of a data file (the partition columns date and hour come from the directory names). */
  public static final StructType FILE_SCHEMA = new StructType(new StructField[] {
      field("topic", DataTypes.StringType, false),
      field("partition", DataTypes.IntegerType, false),
      field("offset", DataTypes.LongType, false),
      field("kafka_timestamp", DataTypes.LongType, false),
      field("id", DataTypes.StringType, false),
      field("event_time", DataTypes.LongType, false),
      field("attributes", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false), false),
      field("values", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false), false),
  });

  /** What the archiver writes: the file columns plus the partition columns. */
  public static final StructType WRITE_SCHEMA = FILE_SCHEMA
      .add(field(DATE, DataTypes.StringType, false))
      .add(field(HOUR, DataTypes.IntegerType, false));

  private final Path root;

  public MasterDataset(String root) {
    this.root = new Path(root);
  }

  public Path root() {
    return root;
  }

  public Path topicDir(String topic) {
    return new Path(root, topic);
  }

  public Path logDir(String topic) {
    return new Path(topicDir(topic), "_archive");
  }

  public Path stagingDir(String topic, long run) {
    return new Path(new Path(topicDir(topic), "_staging"), ArchiveLog.runName(run));
  }

  public Path rejectedDir(String topic, long run) {
    return new Path(new Path(topicDir(topic), "_rejected"), ArchiveLog.runName(run));
  }

  /** A row of the master dataset for one archived event. */
  public static Row row(String topic, int partition, long offset, long kafkaTimestamp, Event e) {
    ZonedDateTime t = Instant.ofEpochMilli(e.eventTime()).atZone(ZoneOffset.UTC);
    return RowFactory.create(topic, partition, offset, kafkaTimestamp, e.id(), e.eventTime(),
        scala.collection.JavaConverters.mapAsScalaMap(e.attributes()),
        scala.collection.JavaConverters.mapAsScalaMap(e.values()),
        t.toLocalDate().toString(), t.getHour());
  }

  private static StructField field(String name, DataType type, boolean nullable) {
    return DataTypes.createStructField(name, type, nullable);
  }
}
