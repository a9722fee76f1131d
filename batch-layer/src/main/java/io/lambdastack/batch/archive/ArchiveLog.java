package io.lambdastack.batch.archive;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The archive's progress, stored with the data: one commit file per run under {@code <topic>/_archive/}. The
 * next run starts where the committed runs end, so archiving the same offsets twice adds nothing; a run that
 * crashed before its commit file exists left only staging files, which are deleted.
 */
public final class ArchiveLog {
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final FileSystem fs;
  private final MasterDataset dataset;
  private final String topic;

  public ArchiveLog(FileSystem fs, MasterDataset dataset, String topic) {
    this.fs = fs;
    this.dataset = dataset;
    this.topic = topic;
  }

  public static String runName(long run) {
    return String.format("run-%06d", run);
  }

  /** Every committed run, oldest first. */
  public List<ArchiveRun> runs() {
    List<ArchiveRun> runs = new ArrayList<>();
    try {
      Path dir = dataset.logDir(topic);
      if (!fs.exists(dir)) {
        return runs;
      }
      for (FileStatus f : fs.listStatus(dir, p -> p.getName().matches("run-\\d+\\.json"))) {
        try (InputStream in = fs.open(f.getPath())) {
          runs.add(JSON.readValue(in, ArchiveRun.class));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the archive log of " + topic + ": " + e.getMessage(), e);
    }
    runs.sort(Comparator.comparingLong(ArchiveRun::run));
    return runs;
  }

  /** Per partition: the offset where archiving continues (end of the committed runs). */
  public static Map<Integer, Long> progress(List<ArchiveRun> runs) {
    Map<Integer, Long> next = new TreeMap<>();
    for (ArchiveRun run : runs) {
      for (ArchivedRange r : run.ranges()) {
        next.merge(r.partition(), r.until(), Math::max);
      }
    }
    return next;
  }

  /** Per partition: everything the committed runs archived, merged (offsets, rows, event-time range). */
  public static Map<Integer, ArchivedRange> coverage(List<ArchiveRun> runs) {
    Map<Integer, ArchivedRange> covered = new TreeMap<>();
    for (ArchiveRun run : runs) {
      for (ArchivedRange r : run.ranges()) {
        covered.merge(r.partition(), r, ArchivedRange::merge);
      }
    }
    return covered;
  }

  public long nextRun(List<ArchiveRun> runs) {
    return runs.isEmpty() ? 1 : runs.get(runs.size() - 1).run() + 1;
  }

  /** The commit point: the run's record appears atomically (written aside, then renamed). */
  public void commit(ArchiveRun run) {
    Path dir = dataset.logDir(topic);
    Path done = new Path(dir, runName(run.run()) + ".json");
    Path tmp = new Path(dir, "." + runName(run.run()) + ".json.tmp");
    try {
      fs.mkdirs(dir);
      try (OutputStream out = fs.create(tmp, true)) {
        JSON.writerWithDefaultPrettyPrinter().writeValue(out, run);
      }
      if (!fs.rename(tmp, done)) {
        throw new IOException("could not rename " + tmp + " to " + done + " (does it exist already?)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("committing archive " + runName(run.run()) + " of " + topic + ": " + e.getMessage(), e);
    }
  }

  /**
   * Finishes what a crash interrupted: moves the files of committed runs still in staging into place, and
   * deletes staging directories of runs that never committed (their offsets will be archived again).
   *
   * @return how many files were moved and how many uncommitted staging directories were deleted
   */
  public int[] recover(List<ArchiveRun> runs) {
    int moved = 0;
    for (ArchiveRun run : runs) {
      moved += moveIntoPlace(run);
    }
    int deleted = 0;
    try {
      Path staging = new Path(dataset.topicDir(topic), "_staging");
      if (fs.exists(staging)) {
        for (FileStatus s : fs.listStatus(staging)) {
          fs.delete(s.getPath(), true); // committed runs' staging is gone after the moves: these never committed
          deleted++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cleaning the archive's staging directory of " + topic + ": " + e.getMessage(), e);
    }
    return new int[] {moved, deleted};
  }

  /** Finishes the moves of committed runs a crash interrupted, leaving other staging alone (an archiver may be running). */
  public int finishMoves(List<ArchiveRun> runs) {
    int moved = 0;
    for (ArchiveRun run : runs) {
      moved += moveIntoPlace(run);
    }
    return moved;
  }

  /** Moves a committed run's files from staging into the date/hour directories; idempotent. */
  public int moveIntoPlace(ArchiveRun run) {
    Path staging = dataset.stagingDir(topic, run.run());
    int moved = 0;
    try {
      if (!fs.exists(staging)) {
        return 0; // the usual case: moved when the run committed
      }
      for (ArchiveRun.FileMove f : run.files()) {
        Path from = new Path(staging, f.staged());
        Path to = new Path(dataset.topicDir(topic), f.target());
        if (fs.exists(from)) {
          fs.mkdirs(to.getParent());
          if (fs.exists(to)) {
            fs.delete(from, false); // moved before a crash, then re-staged? the committed copy wins
          } else if (!fs.rename(from, to)) {
            throw new IOException("could not move " + from + " to " + to);
          }
          moved++;
        }
      }
      fs.delete(staging, true);
    } catch (IOException e) {
      throw new UncheckedIOException("moving archive " + runName(run.run()) + " of " + topic + " into place: " + e.getMessage(), e);
    }
    return moved;
  }
}
