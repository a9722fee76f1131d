package io.lambdastack.batch.archive;

import java.util.List;

/**
 * The commit record of one archive run, written to {@code _archive/run-NNNNNN.json}: the moment this file
 * exists the run's data is part of the master dataset. It lists the ranges the run covered and the data files
 * it moved from staging into the date/hour directories, so a crash in the middle of the move is finished on
 * the next start (roll forward) and never repeated.
 */
public record ArchiveRun(long run, String topic, long committedAt, List<ArchivedRange> ranges, List<FileMove> files) {

  public ArchiveRun {
    ranges = List.copyOf(ranges);
    files = List.copyOf(files);
  }

  /** A data file: where the run's Spark job wrote it (relative to staging) and where it lives in the dataset. */
  public record FileMove(String staged, String target) {}

  public long rows() {
    return ranges.stream().mapToLong(ArchivedRange::rows).sum();
  }

  public long rejected() {
    return ranges.stream().mapToLong(ArchivedRange::rejected).sum();
  }
}
