package io.lambdastack.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.Test;

/**
 * A micro-batch whose output fails still completes in Spark Streaming (the error is logged, the next batch runs), so
 * its processing time looked like any other to the benchmark: a failing job could pass a rate step.
 */
class BatchTimesTest {
  @Test
  void aFailedOutputIsNamedAndVoidsTheRun() throws Exception {
    JavaStreamingContext ssc = new JavaStreamingContext(new SparkConf().setMaster("local[2]").setAppName("batch-times-test")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1"),
        Durations.milliseconds(200));
    BatchTimes times = new BatchTimes();
    try {
      Queue<JavaRDD<Integer>> queue = new ConcurrentLinkedQueue<>();
      queue.add(ssc.sparkContext().parallelize(List.of(1, 2, 3), 1));
      queue.add(ssc.sparkContext().parallelize(List.of(-1), 1));
      ssc.queueStream(queue, true).foreachRDD(rdd -> {
        if (rdd.filter(i -> i < 0).count() > 0) {
          throw new IllegalStateException("a negative record");
        }
      });
      ssc.addStreamingListener(times);
      ssc.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> times.count() >= 3);
    } finally {
      ssc.stop(true, false);
    }
    assertThatThrownBy(times::requireNoFailure).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("a micro-batch failed").hasMessageContaining("a negative record");
  }

  @Test
  void aRunWithoutFailuresPasses() {
    new BatchTimes().requireNoFailure();
  }
}
