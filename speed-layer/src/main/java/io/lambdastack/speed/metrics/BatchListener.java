package io.lambdastack.speed.metrics;

import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;

/**
 * Spark Streaming's own view of each completed micro-batch, for the metrics: processing delay (is the job
 * keeping up with the batch interval?), scheduling delay (are batches queueing?), records per batch.
 * Listeners are not part of the checkpoint: add one on every start.
 */
public final class BatchListener implements StreamingListener {
  @Override
  public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
    BatchInfo info = completed.batchInfo();
    SpeedStatus.batchCompleted(info.numRecords(),
        info.processingDelay().isDefined() ? (Long) info.processingDelay().get() : -1,
        info.schedulingDelay().isDefined() ? (Long) info.schedulingDelay().get() : -1,
        info.totalDelay().isDefined() ? (Long) info.totalDelay().get() : -1);
  }
}
