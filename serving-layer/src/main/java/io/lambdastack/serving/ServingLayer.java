package io.lambdastack.serving;

import io.lambdastack.serving.http.ServingServer;
import io.lambdastack.serving.ingest.SpeedViewConsumer;
import io.lambdastack.serving.store.SpeedViewStore;
import io.lambdastack.view.definition.ViewCatalog;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/** The serving layer: the speed-view topic tailed into a store, answered over HTTP. */
public final class ServingLayer implements AutoCloseable {
  private final SpeedViewStore store = new SpeedViewStore();
  private final SpeedViewConsumer consumer;
  private final ServingServer server;

  private ServingLayer(String bootstrap, String speedViewTopic, int port, ViewCatalog catalog, PrometheusMeterRegistry metrics) {
    this.server = ServingServer.start(port, catalog, store, metrics); // first: a taken port fails before anything runs
    this.consumer = new SpeedViewConsumer(bootstrap, speedViewTopic, store).start();
    FunctionCounter.builder("lambda_serving_speed_updates_applied", consumer, SpeedViewConsumer::applied).register(metrics);
    FunctionCounter.builder("lambda_serving_speed_updates_rejected", consumer, SpeedViewConsumer::rejected).register(metrics);
    Gauge.builder("lambda_serving_buckets", store, SpeedViewStore::bucketCount).register(metrics);
    server.addHealthCheck("speedViewTopic", consumer::healthy);
  }

  /** Adds a component to {@code GET /health} (e.g. the speed layer, when run by the same launcher). */
  public void addHealthCheck(String component, java.util.function.BooleanSupplier up) {
    server.addHealthCheck(component, up);
  }

  public static ServingLayer start(String bootstrap, String speedViewTopic, int port, ViewCatalog catalog,
      PrometheusMeterRegistry metrics) {
    return new ServingLayer(bootstrap, speedViewTopic, port, catalog, metrics);
  }

  public String url() {
    return server.url();
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() throws InterruptedException {
    server.close();
    consumer.close();
  }
}
