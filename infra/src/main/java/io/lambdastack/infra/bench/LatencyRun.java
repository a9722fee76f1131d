package io.lambdastack.infra.bench;

import io.lambdastack.ingestion.generator.SensorTemperatureGenerator;
import io.lambdastack.ingestion.kafka.EventPublisher;
import io.lambdastack.speed.job.SpeedLayerSettings;
import io.lambdastack.view.definition.ViewDefinition;
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
 *
 * <p>The load runs for a warm-up, then for the measured seconds, at the same rate. The warm-up is the job's
 * start under a load: it starts at {@code backpressure.initialRate}, which can be below the live rate. Its latency
 * is reported apart (start-up), and the latency of every 10 s of the run is printed, so neither part hides the other.
 *
 * <p>Before that, a pre-warm: the same load through a throwaway job (its own group, checkpoint and output topic)
 * for {@code --latency-prewarm} seconds. The live path around the job (the load generator, the broker's appends,
 * the probe) shares this JVM and its two cores only because the benchmark is embedded; in a deployment it is a set
 * of warm, long-running processes. Run cold, its JIT compilation competes with the job's first live batches (seen:
 * whichever latency run came first in a JVM used about 0.1 core more). The pre-warm also runs the job's own code
 * live (backpressure on), beyond what the rate steps ran; the measured job still starts with a fresh context,
 * group, checkpoint and empty state, under the load.
 */
final class LatencyRun {
  /**
   * @param latencies  events sent in the measured period
   * @param startup    events sent during the warm-up
   * @param measured   batches of the measured period
   */
  record Result(long rate, int warmupSeconds, int seconds, long sent, long visible, Percentiles latencies, Percentiles startup,
      java.util.List<BatchTimes.Batch> measured) {
    Percentiles processing() {
      return Percentiles.of(measured.stream().map(BatchTimes.Batch::processingMs).toList());
    }
  }

  /** Distinct pre-encoded events the load cycles through (see {@link StampedEvents}). */
  static final int TEMPLATES = 100_000;
  /** The width of the windows the latency is also printed by. */
  static final int WINDOW_SECONDS = 10;

  private LatencyRun() {}

  /**
   * @param name           names the run's consumer groups and checkpoints (its pre-warm's too): one per run in a benchmark
   * @param prewarmTopic   the throwaway job's output topic
   * @param prewarmSeconds how long the throwaway job runs under the load first (0: no pre-warm)
   */
  static Result run(BenchJob job, Admin admin, String name, String source, String outputTopic, ViewDefinition view, long rate,
      int warmupSeconds, int seconds, String prewarmTopic, int prewarmSeconds) throws Exception {
    if (prewarmSeconds > 0) {
      Result warm = once(job, admin, name + "-prewarm", source, prewarmTopic, view, rate, 0, prewarmSeconds, false, Map.of());
      System.out.printf("latency: pre-warm, a throwaway job under the same load for %d s: p50 %,d ms, p95 %,d ms; %,d of %,d events "
          + "seen (not counted)%n", prewarmSeconds, warm.latencies().at(0.5), warm.latencies().at(0.95), warm.visible(), warm.sent());
    }
    return once(job, admin, name, source, outputTopic, view, rate, warmupSeconds, seconds, true, Map.of());
  }

  /**
   * One run of the job under the live load, fresh (its own group, started at the end of the source topic, and
   * checkpoint), with {@code conf} added to its Spark settings; {@code report}: prints every batch and the latency by
   * 10 s of sending.
   */
  static Result once(BenchJob job, Admin admin, String run, String source, String outputTopic, ViewDefinition view,
      long rate, int warmupSeconds, int seconds, boolean report, Map<String, String> conf) throws Exception {
    SpeedLayerSettings settings = job.settings(run, outputTopic, conf);
    startAtEnd(admin, settings.groupId(), source);
    BatchTimes times = new BatchTimes();
    try (LatencyProbe probe = new LatencyProbe(job.platform().bootstrapServers(), outputTopic, view)) {
      JavaStreamingContext ssc = job.start(settings, times);
      try {
        while (times.count() < 3) {
          Thread.sleep(100); // the first batches pay for class loading and producer start-up: not part of the load
        }
        int warm = times.count();
        long sendStart = System.currentTimeMillis();
        long measureStart = sendStart + warmupSeconds * 1000L;
        produce(job.platform().bootstrapServers(), source, probe, view, rate, warmupSeconds + seconds, times, report);
        long deadline = System.currentTimeMillis() + 30_000;
        while (probe.visible() < probe.sent() && System.currentTimeMillis() < deadline) {
          Thread.sleep(100);
        }
        times.requireNoFailure();
        var batches = times.completed();
        if (report) {
          printBatches(batches.subList(warm, batches.size()), batches.get(0).time(), job.interval().toMillis());
          printWindows(probe.latencies(), sendStart, warmupSeconds + seconds);
        }
        SentLatencies latencies = probe.latencies();
        return new Result(rate, warmupSeconds, seconds, probe.sent(), probe.visible(), latencies.sentIn(measureStart, Long.MAX_VALUE),
            latencies.sentIn(sendStart, measureStart), sentIn(batches, measureStart, sendStart + (warmupSeconds + seconds) * 1000L));
      } finally {
        ssc.stop(true, true);
      }
    }
  }

  /**
   * The batches of the measured period: those due after its start and by the end of the sending (a batch's time is the
   * end of the interval it reads), so the part-filled batch after the last send does not lower the mean.
   */
  static java.util.List<BatchTimes.Batch> sentIn(java.util.List<BatchTimes.Batch> batches, long from, long sendEnd) {
    return batches.stream().filter(b -> b.time() > from && b.time() <= sendEnd).toList();
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

  /** The latency of the events sent in each 10 s of the run, so a trend (a warm-up, a growing queue) shows. */
  private static void printWindows(SentLatencies latencies, long sendStart, int seconds) {
    StringBuilder line = new StringBuilder("latency: by time sent (p50, p95, max ms):");
    for (int from = 0; from < seconds; from += WINDOW_SECONDS) {
      int to = Math.min(seconds, from + WINDOW_SECONDS);
      Percentiles p = latencies.sentIn(sendStart + from * 1000L, sendStart + to * 1000L);
      line.append(String.format("%n  %3d-%3d s: %,d, %,d, %,d (%,d events)", from, to, p.at(0.5), p.at(0.95), p.max(), p.size()));
    }
    System.out.println(line);
  }

  /**
   * Sends at {@code rate} records/s for {@code seconds}, each event's time being its send time. The events are
   * encoded before the clock starts ({@link StampedEvents}); what the sending thread and the whole process spent
   * is printed, so the load's own share of the two cores is on record.
   */
  private static void produce(String bootstrap, String topic, LatencyProbe probe, ViewDefinition view, long rate, int seconds,
      BatchTimes times, boolean report) throws InterruptedException {
    StampedEvents events = new StampedEvents(new SensorTemperatureGenerator(20, 99), view, TEMPLATES, System.currentTimeMillis());
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long threadCpu = threads.getCurrentThreadCpuTime();
    long processCpu = ThreadCpu.processCpuNanos();
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    long nextReport = start + TimeUnit.SECONDS.toNanos(5);
    long n = 0;
    try (EventPublisher publisher = new EventPublisher(bootstrap, "bench-latency")) {
      for (long now = start; now < end; now = System.nanoTime()) {
        long due = rate * (now - start) / 1_000_000_000L;
        for (; n < due; n++) {
          long sendTime = System.currentTimeMillis();
          probe.sent(events.viewKey(), sendTime);
          String key = events.partitionKey();
          publisher.sendRaw(topic, key, events.take(sendTime));
        }
        if (report && now >= nextReport) {
          nextReport += TimeUnit.SECONDS.toNanos(5);
          var last = times.completed().get(times.count() - 1);
          System.out.printf("latency: %,d sent, %,d visible; last batch %,d records in %,d ms%n", probe.sent(), probe.visible(),
              last.records(), last.processingMs());
        }
        Thread.sleep(2);
      }
      publisher.flush();
    }
    double wall = System.nanoTime() - start;
    if (!report) {
      return;
    }
    System.out.printf("latency: the sending thread used %.2f µs of CPU per event (%.2f cores); the whole process %.2f cores%n",
        (threads.getCurrentThreadCpuTime() - threadCpu) / 1e3 / Math.max(1, n), (threads.getCurrentThreadCpuTime() - threadCpu) / wall,
        (ThreadCpu.processCpuNanos() - processCpu) / wall);
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
