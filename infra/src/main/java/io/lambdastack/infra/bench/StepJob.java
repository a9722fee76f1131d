package io.lambdastack.infra.bench;

import java.util.Map;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/** A streaming job that {@link SustainableRate} can run once per rate step, fresh each time. */
interface StepJob {
  /** Starts a fresh run named {@code run} with {@code conf} added to its Spark settings, batches reported to {@code times}. */
  JavaStreamingContext start(String run, Map<String, String> conf, BatchTimes times);

  long intervalMs();
}
