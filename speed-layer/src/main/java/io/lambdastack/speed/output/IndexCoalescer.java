package io.lambdastack.speed.output;

import org.apache.spark.Partition;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.PartitionCoalescer;
import org.apache.spark.rdd.PartitionGroup;
import org.apache.spark.rdd.RDD;
import scala.Option;

/**
 * Coalesces (without a shuffle) a union of parts that share one partitioner into one task per partition of
 * that partitioner: partition {@code i} of every part goes to task {@code i}. The speed layer's per-batch
 * outputs are the union of three states (buckets, running totals, landmarks) over the same partitions, so a
 * batch published them in six small tasks on two cores, each paying a launch, a deserialization and a producer
 * flush; grouped by index, it takes two, and each carries a share of every state, so they stay balanced (Spark's
 * default coalescing groups neighbouring partitions: both landmark partitions, the heaviest, in one task).
 *
 * <p>{@code groups} must be the parts' partition count (the states' partitioner's, restored with them from a
 * checkpoint), not the cores: then union partition {@code part * groups + i} goes to task {@code i}. The groups
 * name no location; Spark's scheduler then places each task by its parent partitions' (the cached states').
 */
public final class IndexCoalescer implements PartitionCoalescer, scala.Serializable { // Spark checks for scala.Serializable
  private static final long serialVersionUID = 1L;

  /** {@code rdd} with its partitions grouped by index modulo {@code groups}; unchanged if it has no more than that. */
  public static <T> JavaRDD<T> byIndex(JavaRDD<T> rdd, int groups) {
    if (rdd.getNumPartitions() <= groups) {
      return rdd;
    }
    RDD<T> coalesced = rdd.rdd().coalesce(groups, false, Option.apply(new IndexCoalescer()), null);
    return new JavaRDD<>(coalesced, rdd.classTag());
  }

  @Override
  public PartitionGroup[] coalesce(int maxPartitions, RDD<?> parent) {
    Partition[] partitions = parent.partitions();
    PartitionGroup[] groups = new PartitionGroup[Math.min(maxPartitions, partitions.length)];
    for (int g = 0; g < groups.length; g++) {
      groups[g] = new PartitionGroup(Option.empty());
    }
    for (Partition p : partitions) {
      groups[p.index() % groups.length].partitions().$plus$eq(p);
    }
    return groups;
  }
}
