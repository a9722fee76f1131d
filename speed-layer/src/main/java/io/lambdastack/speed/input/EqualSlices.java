package io.lambdastack.speed.input;

import io.lambdastack.view.kafka.TopicRange;
import java.util.ArrayList;
import java.util.List;

/**
 * A micro-batch's offset ranges dealt into tasks of equal size: the ranges laid end to end and cut every
 * {@code records / tasks} offsets, so a task may read the end of one partition and the start of the next.
 *
 * <p>Why equal: keys spread unevenly over partitions (the demo's 20 sensors hash 4/9/7 onto 3), and cutting each
 * partition on its own gave tasks of 22, 22, 18, 18 and 20 % of a batch. Two cores run those five tasks in three
 * waves, the last with one core idle: the read-and-fold stage took 6-14 % longer than its tasks' time over two
 * cores. Four equal tasks run in two full waves.
 */
public final class EqualSlices {
  private EqualSlices() {}

  /**
   * @param ranges   the batch's ranges (empty ones are skipped)
   * @param tasks    how many tasks to aim for (a multiple of the cores)
   * @param minSlice the fewest records worth a task of their own: small batches get fewer tasks, each costs a
   *                 launch and a seek
   * @return the tasks, each a list of (pieces of) ranges, in the order given; every offset in exactly one
   */
  public static List<List<TopicRange>> of(List<TopicRange> ranges, int tasks, long minSlice) {
    if (tasks < 1 || minSlice < 1) {
      throw new IllegalArgumentException("tasks and minSlice must be positive, got " + tasks + " and " + minSlice);
    }
    long records = ranges.stream().mapToLong(r -> r.until() - r.from()).sum();
    if (records == 0) {
      return List.of();
    }
    long count = Math.max(1, Math.min(tasks, records / minSlice));
    List<List<TopicRange>> out = new ArrayList<>();
    List<TopicRange> current = new ArrayList<>();
    long filled = 0; // records in current
    for (TopicRange r : ranges) {
      long from = r.from();
      while (from < r.until()) {
        long target = target(records, count, out.size());
        long take = Math.min(r.until() - from, target - filled);
        current.add(new TopicRange(r.topic(), r.partition(), from, from + take));
        from += take;
        filled += take;
        if (filled == target) {
          out.add(List.copyOf(current));
          current.clear();
          filled = 0;
        }
      }
    }
    return out;
  }

  /** Task {@code i}'s size: the records spread as evenly as whole offsets allow (the first ones one larger). */
  private static long target(long records, long count, int i) {
    return records / count + (i < records % count ? 1 : 0);
  }
}
