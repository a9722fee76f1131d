package io.lambdastack.batch.recompute;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Checks every data file of a topic's master dataset before a recompute reads it: it must sit in a
 * {@code date=YYYY-MM-DD/hour=H} directory and be a Parquet file (readable footer) with the archive's
 * columns and types. A bad file fails the recompute with its name, before anything is written, so the
 * published snapshot stays as it was. (Spark, given the schema, would otherwise read a wrong column as
 * nulls, and report a corrupt file with a stack trace far from its name.)
 */
public final class MasterDatasetCheck {
  private static final int LISTING_THREADS = 8;
  private static final Pattern PARTITION_DIR = Pattern.compile("date=\\d{4}-\\d{2}-\\d{2}/hour=\\d{1,2}");
  private static final Map<String, PrimitiveTypeName> COLUMNS = Map.of(
      "topic", PrimitiveTypeName.BINARY, "partition", PrimitiveTypeName.INT32, "offset", PrimitiveTypeName.INT64,
      "kafka_timestamp", PrimitiveTypeName.INT64, "id", PrimitiveTypeName.BINARY, "event_time", PrimitiveTypeName.INT64);

  private MasterDatasetCheck() {}

  /**
   * Lists the tree a level at a time, the directories of a level by several threads: a dataset of a few
   * months has thousands of hour directories, and one listing call each, in a row, took seconds.
   */
  private static List<FileStatus> dataFileStatuses(FileSystem fs, Path topicDir) throws IOException {
    List<FileStatus> files = new ArrayList<>();
    if (!fs.exists(topicDir)) {
      return files;
    }
    ExecutorService pool = ioThreads();
    try {
      List<Path> level = List.of(topicDir);
      while (!level.isEmpty()) {
        List<Future<FileStatus[]>> listings = new ArrayList<>();
        for (Path dir : level) {
          listings.add(pool.submit(() -> fs.listStatus(dir)));
        }
        List<Path> next = new ArrayList<>();
        for (Future<FileStatus[]> listing : listings) {
          for (FileStatus child : listing.get()) {
            String name = child.getPath().getName();
            if (name.startsWith("_") || name.startsWith(".")) {
              continue;
            }
            if (child.isDirectory()) {
              next.add(child.getPath());
            } else {
              files.add(child);
            }
          }
        }
        level = next;
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while listing " + topicDir, e);
    } finally {
      pool.shutdownNow();
    }
    files.sort(Comparator.comparing(FileStatus::getPath));
    return files;
  }

  /**
   * @return the rows of the data files per event date (from their footers)
   * @throws MasterDatasetException naming the first bad file (footers are read by a few threads: it is I/O)
   */
  public static Map<String, Long> check(FileSystem fs, Path topicDir, Configuration conf) {
    List<FileStatus> statuses;
    try {
      statuses = dataFileStatuses(fs, topicDir);
    } catch (IOException e) {
      throw new MasterDatasetException("cannot list the master dataset at " + topicDir + ": " + e.getMessage(), e);
    }
    List<Path> files = statuses.stream().map(FileStatus::getPath).toList();
    String base = fs.makeQualified(topicDir).toUri().getPath() + "/";
    for (Path file : files) {
      String relative = file.toUri().getPath().substring(base.length());
      String dir = relative.contains("/") ? relative.substring(0, relative.lastIndexOf('/')) : "";
      if (!PARTITION_DIR.matcher(dir).matches()) {
        throw new MasterDatasetException("unexpected file " + file + ": data files live in date=YYYY-MM-DD/hour=H directories");
      }
    }
    ExecutorService pool = ioThreads();
    try {
      CheckedFiles checked = CheckedFiles.load(fs, topicDir);
      List<Future<Long>> checks = new ArrayList<>();
      for (FileStatus file : statuses) {
        Long known = checked.rows(file); // immutable files: a file checked before, unchanged, is not read again
        checks.add(known != null ? CompletableFuture.completedFuture(known)
            : pool.submit(() -> checkFile(file.getPath(), conf)));
      }
      Map<String, Long> rowsByDate = new java.util.TreeMap<>();
      CheckedFiles now = new CheckedFiles();
      for (int i = 0; i < files.size(); i++) {
        String date = files.get(i).getParent().getParent().getName().substring("date=".length());
        long rows = checks.get(i).get();
        rowsByDate.merge(date, rows, Long::sum);
        now.put(statuses.get(i), rows);
      }
      try {
        now.save(fs, topicDir);
      } catch (IOException e) {
        // only a cache: the next recompute reads those footers again
      }
      return rowsByDate;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof MasterDatasetException m ? m : new MasterDatasetException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MasterDatasetException("interrupted while checking " + topicDir, e);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Threads for HDFS calls. Daemons: a call stuck retrying a NameNode that is going away (the demo stopping
   * mid-cycle) must not keep the JVM alive after the recompute gave up on it.
   */
  private static ExecutorService ioThreads() {
    return Executors.newFixedThreadPool(LISTING_THREADS, r -> {
      Thread t = new Thread(r, "master-dataset-check");
      t.setDaemon(true);
      return t;
    });
  }

  /** @return the file's row count */
  static long checkFile(Path file, Configuration conf) {
    MessageType schema;
    long rows;
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      schema = reader.getFooter().getFileMetaData().getSchema();
      rows = reader.getRecordCount();
    } catch (IOException | RuntimeException e) {
      throw new MasterDatasetException("corrupt Parquet file " + file + ": " + e.getMessage(), e);
    }
    for (Map.Entry<String, PrimitiveTypeName> c : COLUMNS.entrySet()) {
      if (!schema.containsField(c.getKey())) {
        throw new MasterDatasetException("unexpected schema in " + file + ": no column " + c.getKey() + " (file has " + names(schema) + ")");
      }
      Type t = schema.getType(c.getKey());
      if (!t.isPrimitive() || t.asPrimitiveType().getPrimitiveTypeName() != c.getValue()) {
        throw new MasterDatasetException("unexpected schema in " + file + ": column " + c.getKey() + " is " + t
            + ", expected " + c.getValue().name().toLowerCase());
      }
    }
    requireMap(file, schema, "attributes", PrimitiveTypeName.BINARY);
    requireMap(file, schema, "values", PrimitiveTypeName.DOUBLE);
    return rows;
  }

  private static void requireMap(Path file, MessageType schema, String column, PrimitiveTypeName valueType) {
    if (!schema.containsField(column)) {
      throw new MasterDatasetException("unexpected schema in " + file + ": no column " + column + " (file has " + names(schema) + ")");
    }
    Type t = schema.getType(column);
    boolean ok = !t.isPrimitive() && t.asGroupType().getFieldCount() == 1 && !t.asGroupType().getType(0).isPrimitive();
    if (ok) {
      GroupType entry = t.asGroupType().getType(0).asGroupType();
      ok = entry.getFieldCount() == 2 && entry.getType(1).isPrimitive()
          && ((PrimitiveType) entry.getType(1)).getPrimitiveTypeName() == valueType;
    }
    if (!ok) {
      throw new MasterDatasetException("unexpected schema in " + file + ": column " + column + " is " + t.toString().replace('\n', ' ')
          + ", expected a map to " + valueType.name().toLowerCase());
    }
  }

  private static List<String> names(MessageType schema) {
    return schema.getFields().stream().map(Type::getName).toList();
  }
}
