package io.lambdastack.infra.bench;

import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.ingestion.kafka.TopicProvisioner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * The job's sustainable rate under a live load: the largest rate it keeps up with while the load generator, the
 * broker's appends and the latency probe run on the same two cores, as they do in the latency run.
 *
 * <p>Why: the latency is measured at half the job's capacity, a load with headroom. The pre-filled steps
 * ({@link SustainableRate}) measure the capacity with nothing else running; on this machine the live load's
 * producer and the broker's appends take about half of the two cores (the sending thread alone 0.50-0.52 of a core at
 * 1.2-1.4 million events/s), so half the pre-filled knee is close to the whole live capacity, and its latency is
 * that of a queue at its limit (runs 85-98: median processing 877-968 ms of every 1 s batch). In a deployment the producers
 * run on machines of their own; here they cannot, so the capacity the latency is halved from is measured under them.
 *
 * <p>Each step is a fresh job (its own group, started at the end of the topic, and checkpoint) with backpressure
 * off and no rate limit, so a batch takes whatever arrived: a job that falls behind gets bigger batches, and its mean
 * processing time passes the interval. The judgement is the pre-filled steps': mean processing under the interval,
 * and the batches carried the rate set (a load that fell short of it counts as a failure: the sender, sharing the
 * cores, is the likely cause, though a step does not measure it). The first step is half the pre-filled knee; the live knee is taken to lie
 * below the pre-filled one (the live load only adds work on the same cores), so that bounds the search from above.
 */
final class LiveKnee {
  /** Seconds of load before the measured ones, per step. */
  static final int WARMUP_SECONDS = 5;
  /** Seconds of load measured per step. */
  static final int MEASURED_SECONDS = 10;

  record Result(List<SustainableRate.Step> steps, SustainableRate.Step best) {}

  private LiveKnee() {}

  /** A live step at the rate given (the index counts from 1). */
  interface LiveStep {
    SustainableRate.Step run(long rate, int index) throws Exception;
  }

  /**
   * The search with each step run on the job under the live load ({@link #step}), publishing to a topic of its own,
   * {@code outputPrefix} and the step's number (the latency probe reads its topic from the beginning).
   */
  static Result search(BenchJob job, Admin admin, String source, String outputPrefix, ViewDefinition view, long prefilledKnee,
      int maxSteps, int partitions) throws Exception {
    return search((rate, index) -> {
      String output = outputPrefix + index;
      new TopicProvisioner(admin).ensure(List.of(TopicProvisioner.TopicSpec.compacted(output, partitions)), Duration.ofSeconds(60));
      return step(job, admin, source, output, view, rate, index);
    }, prefilledKnee, maxSteps, partitions);
  }

  /**
   * Halves from half the pre-filled knee until a step keeps up, then bisects between the best step and the lowest
   * failed rate (the pre-filled knee, unrun, until a step fails).
   *
   * @param prefilledKnee the pre-filled steps' sustainable rate: the upper bound, not run
   * @param maxSteps      live steps at most
   */
  static Result search(LiveStep step, long prefilledKnee, int maxSteps, int partitions) throws Exception {
    List<SustainableRate.Step> steps = new ArrayList<>();
    SustainableRate.Step best = null;
    long failed = prefilledKnee;
    long rate = round(prefilledKnee / 2, partitions);
    for (int i = 1; i <= maxSteps; i++) {
      SustainableRate.Step s = step.run(rate, i);
      steps.add(s);
      if (s.sustained()) {
        best = s;
      } else {
        failed = rate;
      }
      long next = best == null ? round(rate / 2, partitions) : round((best.rate() + failed) / 2, partitions);
      if (next == rate || best != null && (next <= best.rate() || next >= failed)) {
        break; // nothing left between, or the smallest rate failed
      }
      rate = next;
    }
    return new Result(List.copyOf(steps), best);
  }

  private static SustainableRate.Step step(BenchJob job, Admin admin, String source, String outputTopic, ViewDefinition view, long rate,
      int index) throws Exception {
    System.out.printf("live step %d: %,d records/s sent live (backpressure off, no rate limit), %d s + %d s measured...%n", index, rate,
        WARMUP_SECONDS, MEASURED_SECONDS);
    LatencyRun.Result r = LatencyRun.once(job, admin, "live-step-" + index, source, outputTopic, view, rate, WARMUP_SECONDS,
        MEASURED_SECONDS, false, Map.of("spark.streaming.backpressure.enabled", "false"));
    SustainableRate.Step s = new SustainableRate.Step(rate, r.measured(), job.intervalMs(), false, List.of());
    Percentiles p = s.processing();
    long maxScheduling = s.measured().stream().mapToLong(BatchTimes.Batch::schedulingMs).max().orElse(-1);
    System.out.printf("live step %d: %,d records/s sent, %,.0f carried; %d batches: processing mean %,.0f ms, median %,d ms, p90 %,d ms, "
        + "max %,d ms; scheduling delay max %,d ms; latency p95 %,d ms -> %s%n", index, rate, s.inputRate(), p.size(), s.meanProcessingMs(),
        p.at(0.5), p.at(0.9), p.max(), maxScheduling, r.latencies().at(0.95), verdict(s));
    return s;
  }

  /**
   * Not carried: the batches took in less than 95 % of the rate set while keeping up, so the load itself fell short
   * (the sender shares the two cores): the machine did not carry that live load either, so it counts as a failure.
   */
  static String verdict(SustainableRate.Step s) {
    if (s.sustained()) {
      return "SUSTAINED";
    }
    return !s.measured().isEmpty() && !s.carried() && s.meanProcessingMs() < s.intervalMs()
        ? String.format("not carried: the load reached %.0f %% of the rate set", 100 * s.inputRate() / s.rate()) : "too fast";
  }

  /** Whole multiples of 500 records/s per partition, as the pre-filled steps. */
  static long round(long rate, int partitions) {
    long unit = 500L * partitions;
    return Math.max(1, rate / unit) * unit;
  }
}
