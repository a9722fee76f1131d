package io.lambdastack.batch.snapshot;

import java.util.List;
import java.util.Map;

/**
 * What a snapshot version is: written as {@code _MANIFEST.json} next to its views, last, so a version
 * directory without it is unfinished.
 *
 * @param version     e.g. 7 for {@code v000007}
 * @param createdAt   when the recompute finished (epoch millis)
 * @param codeVersion the platform version that computed it
 * @param viewsSha256 fingerprint of the view definitions used
 * @param from        first event day included (ISO date), null for all
 * @param to          first event day excluded (ISO date), null for all
 * @param inputs      per source topic: the archive runs and offsets read
 * @param views       per view: horizon, buckets, events, late events
 * @param millis      how long the recompute took
 */
public record Manifest(long version, long createdAt, String codeVersion, String viewsSha256, String from, String to,
    Map<String, Input> inputs, Map<String, ViewSummary> views, long millis) {

  /** @param rows events read (equals the sum of the partitions' rows for a full recompute) */
  public record Input(String topic, long archiveRuns, long rows, List<PartitionInput> partitions) {}

  public record PartitionInput(int partition, long fromOffset, long untilOffset, long rows, long maxEventTime) {}

  /**
   * @param horizon    end of the last complete bucket (epoch millis); null when the dataset has no events
   * @param horizonIso the same, readable
   * @param lateEvents events the speed layer refused as late, included here (the Lambda correction)
   */
  public record ViewSummary(String view, Long horizon, String horizonIso, long buckets, long events, long lateEvents) {}
}
