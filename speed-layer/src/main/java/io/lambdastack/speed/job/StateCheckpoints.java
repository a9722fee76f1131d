package io.lambdastack.speed.job;

import org.apache.spark.streaming.Duration;
import org.apache.spark.streaming.Durations;

/**
 * How often each state is checkpointed to HDFS, in batches: a different multiple of the batch interval per
 * state, all within the usual 5-10x, so that their checkpoints rarely fall on the same batch.
 *
 * <p>Why: a state's checkpoint runs after the batch's outputs, as a job of its own plus files on HDFS, about
 * 100-200 ms each here. With Spark's default (10 batches for every state) all four fell on one batch every
 * 10: that batch ran about 650 ms longer, past the interval, and the next batch waited (measured: 1,445 ms
 * instead of 600 ms, then 450 ms of scheduling delay). One checkpoint per batch fits in the time a batch leaves
 * free, so the next batch starts on time. The open buckets keep 10: Spark applies their timeouts on the same
 * batches, and the view docs say so.
 */
enum StateCheckpoints {
  BUCKETS(10), HISTORY(9), RUNNING(8), LANDMARK(7);

  private final int batches;

  StateCheckpoints(int batches) {
    this.batches = batches;
  }

  int batches() {
    return batches;
  }

  Duration interval(long batchMillis) {
    return Durations.milliseconds(batches * batchMillis);
  }
}
