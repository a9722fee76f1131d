package io.lambdastack.batch.archive;

import java.io.Serializable;

/**
 * What one archive run took from one partition: offsets {@code [from, until)}, how many events it stored
 * (transaction markers and aborted records take offsets but are no events), how many it could not parse
 * (kept aside in {@code _rejected}), and the event-time range it saw, from which the batch horizon follows.
 */
public record ArchivedRange(int partition, long from, long until, long rows, long rejected,
    long minEventTime, long maxEventTime) implements Serializable {

  /** Folds in the stats of one more record. */
  public ArchivedRange plusEvent(long eventTime) {
    return new ArchivedRange(partition, from, until, rows + 1, rejected,
        Math.min(minEventTime, eventTime), Math.max(maxEventTime, eventTime));
  }

  public ArchivedRange plusRejected() {
    return new ArchivedRange(partition, from, until, rows, rejected + 1, minEventTime, maxEventTime);
  }

  public ArchivedRange merge(ArchivedRange o) {
    return new ArchivedRange(partition, Math.min(from, o.from), Math.max(until, o.until), rows + o.rows,
        rejected + o.rejected, Math.min(minEventTime, o.minEventTime), Math.max(maxEventTime, o.maxEventTime));
  }

  public static ArchivedRange empty(int partition, long from, long until) {
    return new ArchivedRange(partition, from, until, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE);
  }
}
