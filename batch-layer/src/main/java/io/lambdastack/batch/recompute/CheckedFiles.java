package io.lambdastack.batch.recompute;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * The data files a recompute already checked, with their length, modification time and rows, kept in
 * {@code <topic>/_archive/checked.json}. Archive files are immutable, so a file with the same length and time
 * needs no second look at its footer; a replaced or rewritten file has another time and is checked again.
 * Only written after every file passed, so a bad file is never remembered as good.
 */
final class CheckedFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NAME = "checked.json";

  /** path → [length, modification time, rows] */
  private final Map<String, List<Long>> files;

  CheckedFiles() {
    this(new TreeMap<>());
  }

  private CheckedFiles(Map<String, List<Long>> files) {
    this.files = files;
  }

  static CheckedFiles load(FileSystem fs, Path topicDir) {
    Path file = new Path(new Path(topicDir, "_archive"), NAME);
    try {
      if (!fs.exists(file)) {
        return new CheckedFiles();
      }
      try (InputStream in = fs.open(file)) {
        return new CheckedFiles(JSON.readValue(in, new TypeReference<TreeMap<String, List<Long>>>() {}));
      }
    } catch (IOException e) {
      return new CheckedFiles(); // unreadable: check everything again
    }
  }

  /** The rows of a file checked before and unchanged since, else null. */
  Long rows(FileStatus f) {
    List<Long> known = files.get(f.getPath().toUri().getPath());
    return known != null && known.get(0) == f.getLen() && known.get(1) == f.getModificationTime() ? known.get(2) : null;
  }

  void put(FileStatus f, long rows) {
    files.put(f.getPath().toUri().getPath(), List.of(f.getLen(), f.getModificationTime(), rows));
  }

  void save(FileSystem fs, Path topicDir) throws IOException {
    Path dir = new Path(topicDir, "_archive");
    Path tmp = new Path(dir, "." + NAME + ".tmp");
    fs.mkdirs(dir);
    try (OutputStream out = fs.create(tmp, true)) {
      JSON.writeValue(out, files);
    }
    FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(tmp, new Path(dir, NAME), Options.Rename.OVERWRITE);
  }
}
