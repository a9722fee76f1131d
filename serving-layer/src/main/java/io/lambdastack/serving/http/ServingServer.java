package io.lambdastack.serving.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lambdastack.serving.store.SpeedViewStore;
import io.lambdastack.view.config.ConfigException;
import io.lambdastack.view.definition.Durations;
import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.event.EventJson;
import io.lambdastack.view.update.ViewUpdate;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The analysts' HTTP API (JSON), bound to 127.0.0.1:
 * <ul>
 *   <li>{@code GET /views}: the views and their definitions;
 *   <li>{@code GET /views/{view}?key=K&from=T1&to=T2}: the buckets of key K whose start lies in [T1, T2)
 *       (ISO-8601 or epoch millis; both optional), each with its measures and the layer it came from;
 *   <li>{@code GET /views/{view}/keys}: the keys that have data;
 *   <li>{@code GET /metrics}: Prometheus text format; {@code GET /health}.
 * </ul>
 */
public final class ServingServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService executor;
  private final ViewCatalog catalog;
  private final SpeedViewStore speed;
  private final PrometheusMeterRegistry metrics;
  private final Timer requests;
  private final Map<String, java.util.function.BooleanSupplier> healthChecks = new java.util.concurrent.ConcurrentSkipListMap<>();

  private ServingServer(HttpServer server, ViewCatalog catalog, SpeedViewStore speed, PrometheusMeterRegistry metrics) {
    this.server = server;
    this.catalog = catalog;
    this.speed = speed;
    this.metrics = metrics;
    this.requests = Timer.builder("lambda_serving_requests").description("HTTP requests answered").register(metrics);
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "serving-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  /** @throws ConfigException when the port is taken */
  public static ServingServer start(int port, ViewCatalog catalog, SpeedViewStore speed, PrometheusMeterRegistry metrics) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    } catch (BindException e) {
      throw new ConfigException("port " + port + " (serving.port) is already in use: stop the process using it "
          + "or choose another port with --serving-port or LAMBDA_SERVING_PORT");
    } catch (IOException e) {
      throw new ConfigException("cannot open the serving port " + port + ": " + e.getMessage());
    }
    ServingServer s = new ServingServer(server, catalog, speed, metrics);
    server.start();
    return s;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** A component reported by {@code GET /health}; any DOWN makes the answer 503. */
  public void addHealthCheck(String component, java.util.function.BooleanSupplier up) {
    healthChecks.put(component, up);
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    try {
      if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        send(exchange, 405, error("only GET is supported"));
        return;
      }
      route(exchange);
    } catch (BadRequest e) {
      send(exchange, 400, error(e.getMessage()));
    } catch (RuntimeException e) {
      send(exchange, 500, error("internal error: " + e));
    } finally {
      exchange.close();
      requests.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  /** A request the client must fix. */
  private static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    List<String> parts = List.of(path.replaceAll("^/+|/+$", "").split("/+"));
    if (path.equals("/health")) {
      Map<String, Object> components = new LinkedHashMap<>();
      healthChecks.forEach((name, check) -> components.put(name, check.getAsBoolean() ? "UP" : "DOWN"));
      boolean up = !components.containsValue("DOWN");
      send(exchange, up ? 200 : 503, Map.of("status", up ? "UP" : "DOWN", "components", components));
    } else if (path.equals("/metrics")) {
      sendText(exchange, 200, metrics.scrape());
    } else if (path.equals("/") || path.equals("/views") || path.equals("/views/")) {
      send(exchange, 200, Map.of("views", catalog.views().stream().map(ServingServer::describe).toList()));
    } else if (parts.size() >= 2 && parts.size() <= 3 && parts.get(0).equals("views")) {
      ViewDefinition view = catalog.view(parts.get(1)).orElse(null);
      if (view == null) {
        send(exchange, 404, error("no view named '" + parts.get(1) + "'; GET /views lists them"));
      } else if (parts.size() == 3 && parts.get(2).equals("keys")) {
        send(exchange, 200, Map.of("view", view.name(), "keys", speed.keys(view.name())));
      } else if (parts.size() == 2) {
        answer(exchange, view, query);
      } else {
        send(exchange, 404, error("no such resource: " + path));
      }
    } else {
      send(exchange, 404, error("no such resource: " + path + "; try GET /views"));
    }
  }

  private void answer(HttpExchange exchange, ViewDefinition view, Map<String, String> query) throws IOException {
    String key = query.get("key");
    if (key == null || key.isEmpty()) {
      send(exchange, 400, error("missing query parameter key, e.g. /views/" + view.name() + "?key=K; GET /views/"
          + view.name() + "/keys lists the keys"));
      return;
    }
    OptionalLong from = time(query, "from", Long.MIN_VALUE);
    OptionalLong to = time(query, "to", Long.MAX_VALUE);
    if (from.isEmpty() || to.isEmpty()) {
      String bad = from.isEmpty() ? "from" : "to";
      send(exchange, 400, error(bad + "='" + query.get(bad) + "' is neither ISO-8601 nor epoch millis"));
      return;
    }
    List<Map<String, Object>> buckets = speed.buckets(view.name(), key, from.getAsLong(), to.getAsLong()).stream()
        .map(ServingServer::bucket).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("view", view.name());
    body.put("key", key);
    body.put("from", query.get("from"));
    body.put("to", query.get("to"));
    // No batch snapshot is served yet: every bucket comes from the speed layer (horizon null = all speed).
    body.put("batchHorizon", null);
    body.put("buckets", buckets);
    send(exchange, 200, body);
  }

  private static OptionalLong time(Map<String, String> query, String name, long absent) {
    String v = query.get(name);
    return v == null || v.isEmpty() ? OptionalLong.of(absent) : EventJson.parseTime(v);
  }

  private static Map<String, Object> bucket(ViewUpdate u) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("start", Instant.ofEpochMilli(u.bucketStart()).toString());
    b.put("end", Instant.ofEpochMilli(u.bucketEnd()).toString());
    b.put("startMs", u.bucketStart());
    b.put("endMs", u.bucketEnd());
    b.put("layer", u.layer());
    b.put("events", u.events());
    b.put("measures", u.measures());
    return b;
  }

  private static Map<String, Object> describe(ViewDefinition v) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", v.name());
    d.put("source", v.source());
    d.put("key", v.keyFields());
    d.put("bucket", Durations.format(v.bucketWidth()));
    d.put("lateness", Durations.format(v.lateness()));
    d.put("measures", v.measures().stream().map(m -> Map.of("name", m.name(), "expression", m.expression())).toList());
    d.put("href", "/views/" + v.name());
    return d;
  }

  private static Map<String, Object> error(String message) {
    return Map.of("error", message);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      try {
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        q.putIfAbsent(k, v);
      } catch (IllegalArgumentException e) {
        throw new BadRequest("malformed query string near '" + pair + "': " + e.getMessage());
      }
    }
    return q;
  }

  private static void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    write(exchange, status, bytes);
  }

  private static void sendText(HttpExchange exchange, int status, String body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    write(exchange, status, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void write(HttpExchange exchange, int status, byte[] bytes) throws IOException {
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }
}
