package io.lambdastack.speed.job;

import io.lambdastack.view.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a checkpoint was made for. Recovery from a Spark Streaming checkpoint restores the job as it was
 * serialized, including its view definitions, topics and interval, whatever the view file now says; so a
 * checkpoint made for other views or settings is refused at startup instead of silently serving the old ones.
 */
final class CheckpointFingerprint {
  static final String FILE = "lambda-job.fingerprint";
  private final Path file;
  private final Configuration hadoop;
  private final String expected;
  private final String checkpointDir;

  CheckpointFingerprint(SpeedLayerSettings settings, Configuration hadoop) {
    this.checkpointDir = settings.checkpointDir();
    this.file = new Path(settings.checkpointDir(), FILE);
    this.hadoop = hadoop;
    this.expected = of(settings);
  }

  /** The job's identity: views, source and output topics, consumer group, batch interval. */
  static String of(SpeedLayerSettings s) {
    String identity = s.views().views() + "|" + s.bootstrapServers() + "|" + s.groupId() + "|" + s.outputTopic()
        + "|" + s.batchInterval().toMillis() + "|" + s.input() + "|" + s.sinks();
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  void requireMatch() {
    try {
      FileSystem fs = file.getFileSystem(hadoop);
      if (!fs.exists(file)) {
        return;
      }
      String found;
      try (var in = fs.open(file)) {
        found = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      if (!found.equals(expected)) {
        throw new ConfigException("the checkpoint " + checkpointDir + " was made for other views or settings (view file, "
            + "topics, group, batch interval, input or sinks changed) and would restore the old ones: run once with --upgrade "
            + "(sets the checkpoint aside, rebuilds the state from the speed-view topic, resumes from the committed offsets), "
            + "or point --checkpoint at a new directory");
      }
    } catch (IOException e) {
      throw new ConfigException("cannot read the checkpoint directory " + checkpointDir + ": " + e.getMessage());
    }
  }

  /**
   * Spark's failure to read a checkpoint, as one line. Its own error says only that it failed; the reason sits in the
   * cause chain. A class that no longer deserializes (a serialVersionUID changed, a class moved) means the checkpoint was
   * written by other code, and checkpoints do not survive code changes: the way out is the upgrade path. Anything else
   * (an I/O error, a truncated file) is named as it is. The line keeps the root cause's class and first line; Spark's
   * WARN log keeps the whole chain (a {@link ConfigException} carries none). Any other failure is returned as it is (a
   * checked one wrapped, unchanged inside).
   */
  static RuntimeException unreadable(String checkpointDir, Exception e) {
    // Spark 3.5's CheckpointReader wording; aCheckpointSparkCannotReadIsRefusedInOneLine runs real Spark, so a change of it fails there.
    if (!(e instanceof org.apache.spark.SparkException) || e.getMessage() == null || !e.getMessage().startsWith("Failed to read checkpoint")) {
      return e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
    }
    Throwable root = rootCause(e);
    String why = root == e ? "" : " (" + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": "
        + root.getMessage().lines().findFirst().orElse("")) + ")";
    String out = "point --checkpoint at a new directory";
    if (root instanceof java.io.ObjectStreamException || root instanceof ClassNotFoundException || root instanceof ClassCastException) {
      return new ConfigException("the checkpoint " + checkpointDir + " was written by other code" + why + " and checkpoints do not "
          + "survive code changes: stop the old version with SIGTERM (after a crash: restart it, then stop it so), then run this one "
          + "once with --upgrade (sets the checkpoint aside, rebuilds the state from the speed-view topic, resumes from the "
          + "committed offsets), or " + out);
    }
    return new ConfigException("the checkpoint " + checkpointDir + " cannot be read" + why + ": if the storage is fine and the "
        + "checkpoint is damaged, run once with --upgrade (sets it aside, rebuilds the state from the speed-view topic), or " + out);
  }

  /** The last cause of the chain; a chain that comes back to a cause it passed stops there. */
  private static Throwable rootCause(Throwable e) {
    java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    Throwable root = e;
    while (seen.add(root) && root.getCause() != null && !seen.contains(root.getCause())) {
      root = root.getCause();
    }
    return root;
  }

  void write() {
    try {
      FileSystem fs = file.getFileSystem(hadoop);
      try (FSDataOutputStream out = fs.create(file, true)) {
        out.write(expected.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new ConfigException("cannot write to the checkpoint directory " + checkpointDir + ": " + e.getMessage());
    }
  }
}
