package io.lambdastack.ingestion.replay;

import io.lambdastack.view.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Loads a flat Parquet file into a {@link ReplayTable}: numbers become event values, strings attributes, and
 * the time column (TIMESTAMP micros/millis, or epoch millis) the event time. Timestamps without a zone (local
 * times, as in flights-3m) are taken as UTC.
 */
public final class ParquetReplaySource {
  private ParquetReplaySource() {}

  public static ReplayTable load(Path file, String timeField) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(file + ": no such file (for flights-3m run scripts/fetch-flights.sh)");
    }
    Configuration conf = new Configuration();
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), conf))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      long rowCount = reader.getRecordCount();
      if (rowCount > Integer.MAX_VALUE - 8) {
        throw new ConfigException(file + ": " + rowCount + " rows is more than a replay holds in memory");
      }
      int rows = (int) rowCount;
      Type timeType = field(schema, timeField, file);
      long timeDivisor = timeDivisor(timeType, file);
      List<ReplayTable.Column> columns = new ArrayList<>();
      Map<Integer, ReplayTable.Column> byIndex = new HashMap<>();
      for (int f = 0; f < schema.getFieldCount(); f++) {
        Type t = schema.getType(f);
        if (!t.isPrimitive() || t.getName().equals(timeField)) {
          continue;
        }
        ReplayTable.Column c = new ReplayTable.Column(t.getName(), rows, kind(t.asPrimitiveType()));
        columns.add(c);
        byIndex.put(f, c);
      }
      long[] times = new long[rows];
      int timeIndex = schema.getFieldIndex(timeField);
      Map<String, String> interned = new HashMap<>();
      MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
      int row = 0;
      PageReadStore pages;
      while ((pages = reader.readNextRowGroup()) != null) {
        RecordReader<Group> records = io.getRecordReader(pages, new GroupRecordConverter(schema));
        for (long r = 0; r < pages.getRowCount(); r++, row++) {
          Group g = records.read();
          if (g.getFieldRepetitionCount(timeIndex) == 0) {
            throw new ConfigException(file + ": row " + row + " has no " + timeField + " (every event needs a time)");
          }
          times[row] = g.getLong(timeIndex, 0) / timeDivisor;
          for (Map.Entry<Integer, ReplayTable.Column> e : byIndex.entrySet()) {
            read(g, e.getKey(), row, e.getValue(), interned);
          }
        }
      }
      return new ReplayTable(columns, times, file.getFileName().toString().replaceFirst("\\.parquet$", "") + "-", null);
    }
  }

  private static void read(Group g, int field, int row, ReplayTable.Column c, Map<String, String> interned) {
    if (g.getFieldRepetitionCount(field) == 0) {
      c.nulls.set(row);
    } else if (c.texts != null) {
      String s = g.getString(field, 0);
      c.texts[row] = interned.computeIfAbsent(s, k -> k); // a few hundred airports, not 3 million strings
    } else if (c.longs != null) {
      c.longs[row] = g.getType().getType(field).asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT32
          ? g.getInteger(field, 0) : g.getLong(field, 0);
    } else {
      c.doubles[row] = g.getType().getType(field).asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.FLOAT
          ? g.getFloat(field, 0) : g.getDouble(field, 0);
    }
  }

  private static char kind(PrimitiveType t) {
    return switch (t.getPrimitiveTypeName()) {
      case INT32, INT64 -> 'l';
      case FLOAT, DOUBLE -> 'd';
      default -> 's';
    };
  }

  private static Type field(MessageType schema, String name, Path file) {
    if (!schema.containsField(name)) {
      throw new ConfigException(file + ": no column '" + name + "' for the event time; columns: "
          + schema.getFields().stream().map(Type::getName).toList() + " (choose one with --time-field)");
    }
    return schema.getType(name);
  }

  /** Divisor from the time column's unit to millis. */
  private static long timeDivisor(Type t, Path file) {
    if (!t.isPrimitive() || t.asPrimitiveType().getPrimitiveTypeName() != PrimitiveType.PrimitiveTypeName.INT64) {
      throw new ConfigException(file + ": time column '" + t.getName() + "' must be INT64 (TIMESTAMP or epoch millis)");
    }
    if (t.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
      return switch (ts.getUnit()) {
        case MILLIS -> 1;
        case MICROS -> 1_000;
        case NANOS -> 1_000_000;
      };
    }
    return 1;
  }
}
