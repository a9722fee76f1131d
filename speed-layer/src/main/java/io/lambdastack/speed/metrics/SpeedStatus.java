package io.lambdastack.speed.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Driver-side progress of the speed layer, updated after every completed batch and exported as metrics:
 * events read, unparseable events skipped, late events per view, batches, last batch time.
 */
public final class SpeedStatus {
  private static final AtomicLong batches = new AtomicLong();
  private static final AtomicLong lastBatchTime = new AtomicLong();
  private static final AtomicLong events = new AtomicLong();
  private static final AtomicLong unparseable = new AtomicLong();
  private static final Map<String, AtomicLong> late = new ConcurrentHashMap<>();
  private static final Map<String, AtomicLong> readAgain = new ConcurrentHashMap<>();
  private static final AtomicLong recordsReadAgain = new AtomicLong();
  private static final AtomicLong lastRecords = new AtomicLong();
  private static final AtomicLong processingDelay = new AtomicLong(-1);
  private static final AtomicLong schedulingDelay = new AtomicLong(-1);
  private static final AtomicLong totalDelay = new AtomicLong(-1);
  private static volatile MeterRegistry registry;
  /** "state|view" → {keys, entries} held in Spark state (see {@link StateSize}). */
  private static final Map<String, AtomicLong[]> stateSizes = new ConcurrentHashMap<>();

  private SpeedStatus() {}

  /** Exports the counters to a registry (the launcher's Prometheus registry). */
  public static synchronized void bindTo(MeterRegistry r) {
    registry = r;
    FunctionCounter.builder("lambda_speed_events", events, AtomicLong::get)
        .description("events read by the speed layer").register(r);
    FunctionCounter.builder("lambda_speed_unparseable_events", unparseable, AtomicLong::get)
        .description("records the speed layer could not parse; counted and skipped").register(r);
    FunctionCounter.builder("lambda_speed_landmark_records_read_again", recordsReadAgain, AtomicLong::get)
        .description("records read again from Kafka for landmark batches whose runs could not be used").register(r);
    FunctionCounter.builder("lambda_speed_batches", batches, AtomicLong::get)
        .description("micro-batches completed").register(r);
    Gauge.builder("lambda_speed_last_batch_time_ms", lastBatchTime, AtomicLong::get).register(r);
    Gauge.builder("lambda_speed_batch_records", lastRecords, AtomicLong::get)
        .description("records in the last completed micro-batch").register(r);
    Gauge.builder("lambda_speed_processing_delay_ms", processingDelay, AtomicLong::get)
        .description("processing time of the last micro-batch; above the batch interval the job falls behind").register(r);
    Gauge.builder("lambda_speed_scheduling_delay_ms", schedulingDelay, AtomicLong::get)
        .description("how long the last micro-batch waited to start (queueing)").register(r);
    Gauge.builder("lambda_speed_total_delay_ms", totalDelay, AtomicLong::get)
        .description("scheduling + processing delay of the last micro-batch").register(r);
    late.forEach(SpeedStatus::registerLate);
    readAgain.forEach(SpeedStatus::registerReadAgain);
    stateSizes.forEach(SpeedStatus::registerStateSize);
  }

  private static void registerStateSize(String stateAndView, AtomicLong[] size) {
    MeterRegistry r = registry;
    if (r != null) {
      String[] sv = stateAndView.split("\\|", 2);
      Gauge.builder("lambda_speed_state_keys", size[0], AtomicLong::get).tags("state", sv[0], "view", sv[1])
          .description("keys held in the speed layer's Spark state").register(r);
      Gauge.builder("lambda_speed_state_entries", size[1], AtomicLong::get).tags("state", sv[0], "view", sv[1])
          .description("entries held in the speed layer's Spark state: open buckets, running totals, landmark segments")
          .register(r);
    }
  }

  /** From {@link StateSize}: keys and entries per view of one state. */
  static void stateSize(String state, Map<String, scala.Tuple2<Long, Long>> perView) {
    stateSizes.forEach((k, v) -> {
      if (k.startsWith(state + "|") && !perView.containsKey(k.substring(state.length() + 1))) {
        v[0].set(0);
        v[1].set(0);
      }
    });
    perView.forEach((view, size) -> {
      AtomicLong[] held = stateSizes.computeIfAbsent(state + "|" + view, k -> {
        AtomicLong[] fresh = {new AtomicLong(), new AtomicLong()};
        registerStateSize(k, fresh);
        return fresh;
      });
      held[0].set(size._1());
      held[1].set(size._2());
    });
  }

  /** Keys and entries in one state of one view (0, 0 when none measured yet). */
  public static long[] stateSize(String state, String view) {
    AtomicLong[] held = stateSizes.get(state + "|" + view);
    return held == null ? new long[] {0, 0} : new long[] {held[0].get(), held[1].get()};
  }

  private static void registerLate(String view, AtomicLong counter) {
    registerPerView("lambda_speed_late_events", "events later than the view's allowed lateness; they reach the view via the batch layer",
        view, counter);
  }

  private static void registerReadAgain(String view, AtomicLong counter) {
    registerPerView("lambda_speed_landmark_read_again",
        "landmark (view, key) batches whose runs could not be used, so their events were read again from Kafka", view, counter);
  }

  private static void registerPerView(String name, String description, String view, AtomicLong counter) {
    MeterRegistry r = registry;
    if (r != null) {
      FunctionCounter.builder(name, counter, AtomicLong::get).tag("view", view).description(description).register(r);
    }
  }

  /** Each view's count from an accumulator, into its counter (registered at the view's first count). */
  private static void setPerView(Map<String, Long> counts, Map<String, AtomicLong> counters,
      java.util.function.BiConsumer<String, AtomicLong> register) {
    counts.forEach((view, n) -> counters.computeIfAbsent(view, v -> {
      AtomicLong counter = new AtomicLong();
      register.accept(v, counter);
      return counter;
    }).set(n));
  }

  static void afterBatch(long batchTime, SpeedCounters c) {
    batches.incrementAndGet();
    lastBatchTime.set(batchTime);
    events.set(c.events.value());
    unparseable.set(c.unparseable.value());
    setPerView(c.latePerView.value(), late, SpeedStatus::registerLate);
    setPerView(c.readAgainPerView.value(), readAgain, SpeedStatus::registerReadAgain);
    recordsReadAgain.set(c.recordsReadAgain.value());
  }

  /** From Spark's StreamingListener (see {@link BatchListener}). */
  static void batchCompleted(long records, long processingMs, long schedulingMs, long totalMs) {
    lastRecords.set(records);
    processingDelay.set(processingMs);
    schedulingDelay.set(schedulingMs);
    totalDelay.set(totalMs);
  }

  public static long processingDelayMs() { return processingDelay.get(); }

  public static void record(long batchTime, SpeedCounters c) {
    afterBatch(batchTime, c);
  }

  public static long batches() { return batches.get(); }

  public static long events() { return events.get(); }

  public static long unparseable() { return unparseable.get(); }

  /** Per landmark view: (view, key) batches whose events were read again from Kafka. */
  public static Map<String, Long> readAgainPerView() {
    return byView(readAgain);
  }

  /** Records read again from Kafka for them. */
  public static long recordsReadAgain() {
    return recordsReadAgain.get();
  }

  public static Map<String, Long> latePerView() {
    return byView(late);
  }

  private static Map<String, Long> byView(Map<String, AtomicLong> counters) {
    Map<String, Long> out = new java.util.TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }
}
