package io.lambdastack.batch.snapshot;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdastack.view.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * The batch views' versions under {@code <root>/}: {@code v000001/, v000002/, …} each holding one directory of
 * Parquet per view and a {@code _MANIFEST.json}, and {@code LATEST}, a one-line file naming the published
 * version. Publishing is one atomic rename of a new {@code LATEST} over the old one; until then readers see
 * the previous version, whatever happened to the new one. The last {@code keep} versions stay for rollback.
 */
public final class SnapshotStore {
  static final String LATEST = "LATEST";
  static final String MANIFEST = "_MANIFEST.json";
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final FileSystem fs;
  private final Path root;

  public SnapshotStore(FileSystem fs, String root) {
    this.fs = fs;
    this.root = fs.makeQualified(new Path(root));
  }

  public Path root() {
    return root;
  }

  public static String versionName(long version) {
    return String.format("v%06d", version);
  }

  public Path versionDir(long version) {
    return new Path(root, versionName(version));
  }

  /** A view's Parquet files within a version (Spark's partition directory of the {@code view} column). */
  public Path viewDir(long version, String view) {
    return new Path(versionDir(version), "view=" + view);
  }

  /** Deletes a version that never completed (a failed recompute), so it leaves nothing behind. */
  public void discardUnfinished(long version) {
    if (manifest(version).isPresent()) {
      return;
    }
    try {
      fs.delete(versionDir(version), true);
    } catch (IOException e) {
      throw new UncheckedIOException("deleting unfinished " + versionDir(version) + ": " + e.getMessage(), e);
    }
  }

  /** The published version, if any. */
  public OptionalLong latest() {
    Path latest = new Path(root, LATEST);
    try {
      if (!fs.exists(latest)) {
        return OptionalLong.empty();
      }
      try (InputStream in = fs.open(latest)) {
        String name = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        return OptionalLong.of(parse(name));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + latest + ": " + e.getMessage(), e);
    }
  }

  /** Complete versions (with a manifest), oldest first. */
  public List<Manifest> versions() {
    List<Manifest> versions = new ArrayList<>();
    for (long v : versionNumbers()) {
      manifest(v).ifPresent(versions::add);
    }
    return versions;
  }

  public Optional<Manifest> manifest(long version) {
    Path file = new Path(versionDir(version), MANIFEST);
    try {
      if (!fs.exists(file)) {
        return Optional.empty();
      }
      try (InputStream in = fs.open(file)) {
        return Optional.of(JSON.readValue(in, Manifest.class));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
    }
  }

  /** The number for a new version: above every directory, finished or not, so nothing is ever overwritten. */
  public long nextVersion() {
    return versionNumbers().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
  }

  /** Writes the manifest: the version is complete (not yet published). */
  public void complete(Manifest manifest) {
    Path file = new Path(versionDir(manifest.version()), MANIFEST);
    try (OutputStream out = fs.create(file, false)) {
      JSON.writerWithDefaultPrettyPrinter().writeValue(out, manifest);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
    }
  }

  /** Publishes a complete version: one atomic rename over {@code LATEST}. */
  public void publish(long version) {
    if (manifest(version).isEmpty()) {
      throw new ConfigException("version " + versionName(version) + " is not a complete snapshot under " + root);
    }
    Path tmp = new Path(root, "." + LATEST + ".tmp");
    try {
      try (OutputStream out = fs.create(tmp, true)) {
        out.write((versionName(version) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(tmp, new Path(root, LATEST), Options.Rename.OVERWRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("publishing " + versionName(version) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Publishes the complete version before the current one (or {@code to}, when given).
   *
   * @return the version now published
   */
  public long rollback(OptionalLong to) {
    OptionalLong current = latest();
    if (current.isEmpty()) {
      throw new ConfigException("nothing to roll back: no snapshot is published under " + root);
    }
    List<Long> complete = versions().stream().map(Manifest::version).toList();
    long target;
    if (to.isPresent()) {
      target = to.getAsLong();
      if (!complete.contains(target)) {
        throw new ConfigException("no complete version " + versionName(target) + " under " + root + " (have " + names(complete) + ")");
      }
    } else {
      target = complete.stream().filter(v -> v < current.getAsLong()).mapToLong(Long::longValue).max()
          .orElseThrow(() -> new ConfigException("no version before " + versionName(current.getAsLong()) + " to roll back to (have "
              + names(complete) + ")"));
    }
    publish(target);
    return target;
  }

  /**
   * Keeps the newest {@code keep} complete versions and the published one; deletes older versions and
   * unfinished directories below the newest complete version (leftovers of a crash).
   *
   * @return the versions deleted
   */
  public List<Long> prune(int keep) {
    OptionalLong published = latest();
    List<Long> complete = versions().stream().map(Manifest::version).toList();
    long newestComplete = complete.isEmpty() ? 0 : complete.get(complete.size() - 1);
    List<Long> deleted = new ArrayList<>();
    for (long v : versionNumbers()) {
      boolean isPublished = published.isPresent() && published.getAsLong() == v;
      boolean kept = complete.contains(v) && complete.indexOf(v) >= complete.size() - keep;
      boolean unfinished = !complete.contains(v);
      if (isPublished || kept || (unfinished && v > newestComplete)) {
        continue;
      }
      try {
        fs.delete(versionDir(v), true);
        deleted.add(v);
      } catch (IOException e) {
        throw new UncheckedIOException("deleting " + versionDir(v) + ": " + e.getMessage(), e);
      }
    }
    return deleted;
  }

  private List<Long> versionNumbers() {
    List<Long> numbers = new ArrayList<>();
    try {
      if (!fs.exists(root)) {
        return numbers;
      }
      for (FileStatus s : fs.listStatus(root, p -> p.getName().matches("v\\d{6,}"))) {
        numbers.add(parse(s.getPath().getName()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + root + ": " + e.getMessage(), e);
    }
    numbers.sort(Long::compare);
    return numbers;
  }

  private static long parse(String name) {
    if (!name.matches("v\\d+")) {
      throw new IllegalStateException("LATEST names '" + name + "', not a version like v000001");
    }
    return Long.parseLong(name.substring(1));
  }

  private static List<String> names(List<Long> versions) {
    return versions.stream().map(SnapshotStore::versionName).toList();
  }
}
