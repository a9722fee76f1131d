package io.lambdastack.infra.bench;

import io.lambdastack.ingestion.generator.SensorTemperatureGenerator;
import io.lambdastack.ingestion.kafka.EventPublisher;
import io.lambdastack.speed.job.SpeedLayerSettings;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.event.Event;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * Produce→visible latency with the job running as deployed (backpressure on, its defaults) under a steady
 * live load: events stamped with their send time go into the source topic at {@code rate}, and a
 * {@link LatencyProbe} sees them appear in the speed-view topic. The job's group starts at the end of the
 * source topic, so it reads only the live events.
 */
final class LatencyRun {
  record Result(long rate, int seconds, long sent, long visible, Percentiles latencies, Percentiles processing) {}

  private LatencyRun() {}

  static Result run(BenchJob job, Admin admin, String source, String outputTopic, ViewDefinition view, long rate, int seconds)
      throws Exception {
    SpeedLayerSettings settings = job.settings("latency", outputTopic, Map.of());
    startAtEnd(admin, settings.groupId(), source);
    BatchTimes times = new BatchTimes();
    try (LatencyProbe probe = new LatencyProbe(job.platform().bootstrapServers(), outputTopic, view)) {
      JavaStreamingContext ssc = job.start(settings, times);
      try {
        while (times.count() < 3) {
          Thread.sleep(100); // the first batches pay for class loading and producer start-up: not part of the load
        }
        int warm = times.count();
        produce(job.platform().bootstrapServers(), source, probe, rate, seconds, times);
        long deadline = System.currentTimeMillis() + 30_000;
        while (probe.visible() < probe.sent() && System.currentTimeMillis() < deadline) {
          Thread.sleep(100);
        }
        var batches = times.completed();
        printBatches(batches.subList(warm, batches.size()), batches.get(0).time(), job.interval().toMillis());
        return new Result(rate, seconds, probe.sent(), probe.visible(), probe.latencies(),
            Percentiles.of(batches.subList(warm, batches.size()).stream().map(BatchTimes.Batch::processingMs).toList()));
      } finally {
        ssc.stop(true, true);
      }
    }
  }

  /**
   * Every batch of the load, so a slow one can be matched with the periodic work of its time (state checkpoints
   * every 10 batches, window slides every 5, counted from the job's first batch as 1; state-size metrics every
   * 5 batches of the clock).
   */
  private static void printBatches(java.util.List<BatchTimes.Batch> batches, long firstTime, long interval) {
    StringBuilder line = new StringBuilder("latency: batches (number: records, processing ms, scheduling delay ms):");
    for (BatchTimes.Batch b : batches) {
      line.append(String.format("%n  #%d (clock %d): %,d, %,d, %,d", (b.time() - firstTime) / interval + 1, (b.time() / interval) % 100,
          b.records(), b.processingMs(), b.schedulingMs()));
    }
    System.out.println(line);
  }

  /** Sends at {@code rate} records/s for {@code seconds}, each event's time being its send time. */
  private static void produce(String bootstrap, String topic, LatencyProbe probe, long rate, int seconds, BatchTimes times)
      throws InterruptedException {
    SensorTemperatureGenerator generator = new SensorTemperatureGenerator(20, 99);
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    long nextReport = start + TimeUnit.SECONDS.toNanos(5);
    long n = 0;
    try (EventPublisher publisher = new EventPublisher(bootstrap, "bench-latency")) {
      for (long now = start; now < end; now = System.nanoTime()) {
        long due = rate * (now - start) / 1_000_000_000L;
        for (; n < due; n++) {
          Event e = generator.next(System.currentTimeMillis());
          probe.sent(e);
          publisher.send(topic, e.attributes().get("sensorId"), e);
        }
        if (now >= nextReport) {
          nextReport += TimeUnit.SECONDS.toNanos(5);
          var last = times.completed().get(times.count() - 1);
          System.out.printf("latency: %,d sent, %,d visible; last batch %,d records in %,d ms%n", probe.sent(), probe.visible(),
              last.records(), last.processingMs());
        }
        Thread.sleep(2);
      }
      publisher.flush();
    }
  }

  /** Sets the group's offsets to the end of the topic, so the job skips what was there before. */
  private static void startAtEnd(Admin admin, String group, String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (var p : admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic).partitions()) {
      request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
    }
    Map<TopicPartition, OffsetAndMetadata> end = new HashMap<>();
    admin.listOffsets(request).all().get().forEach((tp, info) -> end.put(tp, new OffsetAndMetadata(info.offset())));
    admin.alterConsumerGroupOffsets(group, end).all().get();
  }
}
