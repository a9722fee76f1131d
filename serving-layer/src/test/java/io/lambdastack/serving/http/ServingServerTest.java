package io.lambdastack.serving.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdastack.serving.store.SpeedViewStore;
import io.lambdastack.view.config.ConfigException;
import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.update.ViewUpdate;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP API over real HTTP, with the store filled directly (Kafka feeding is covered by the ITs). */
class ServingServerTest {
  static final ViewCatalog CATALOG = ViewFile.parse("t", """
      views:
        - name: temps
          source: readings
          key: [sensorId]
          bucket: 10s
          lateness: 5s
          measures: [count, mean(temperature)]
      """);
  final SpeedViewStore store = new SpeedViewStore();
  final HttpClient http = HttpClient.newHttpClient();
  final ObjectMapper json = new ObjectMapper();
  ServingServer server;

  @BeforeEach
  void start() {
    server = ServingServer.start(0, CATALOG, store, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    store.apply(update("s1", 0, 2, 20.5));
    store.apply(update("s1", 10_000, 1, 21.0));
    store.apply(update("s1", 20_000, 4, 22.0));
    store.apply(update("s2", 0, 7, 9.0));
    store.apply(update("s1", 10_000, 3, 21.5)); // upsert replaces
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static ViewUpdate update(String key, long start, long count, double mean) {
    return new ViewUpdate("temps", key, start, start + 10_000, count, Map.of("count", count, "mean_temperature", mean),
        new byte[0], "speed", 1);
  }

  JsonNode get(String path, int status) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(status);
    return json.readTree(r.body());
  }

  @Test
  void listsViews() throws Exception {
    JsonNode v = get("/views", 200).get("views").get(0);
    assertThat(v.get("name").asText()).isEqualTo("temps");
    assertThat(v.get("bucket").asText()).isEqualTo("10s");
    assertThat(v.get("lateness").asText()).isEqualTo("5s");
    assertThat(v.get("measures").get(1).get("expression").asText()).isEqualTo("mean(temperature)");
  }

  @Test
  void answersBucketsInRangeWithTheirLayer() throws Exception {
    JsonNode r = get("/views/temps?key=s1&from=1970-01-01T00:00:05Z&to=20000", 200);
    assertThat(r.get("batchHorizon").isNull()).isTrue();
    JsonNode buckets = r.get("buckets");
    assertThat(buckets).hasSize(1);
    assertThat(buckets.get(0).get("start").asText()).isEqualTo("1970-01-01T00:00:10Z");
    assertThat(buckets.get(0).get("layer").asText()).isEqualTo("speed");
    assertThat(buckets.get(0).get("measures").get("count").asLong()).isEqualTo(3);
    assertThat(buckets.get(0).get("measures").get("mean_temperature").asDouble()).isEqualTo(21.5);
    assertThat(get("/views/temps?key=s1", 200).get("buckets")).hasSize(3);
    assertThat(get("/views/temps/keys", 200).get("keys").toString()).isEqualTo("[\"s1\",\"s2\"]");
  }

  @Test
  void clearErrors() throws Exception {
    assertThat(get("/views/nope?key=a", 404).get("error").asText()).isEqualTo("no view named 'nope'; GET /views lists them");
    assertThat(get("/views/temps", 400).get("error").asText()).startsWith("missing query parameter key");
    assertThat(get("/views/temps?key=s1&from=yesterday", 400).get("error").asText())
        .isEqualTo("from='yesterday' is neither ISO-8601 nor epoch millis");
  }

  @Test
  void malformedQueriesAreA400AndHealthReportsComponents() throws Exception {
    assertThat(rawRequestStatusLine("GET /views/temps?key=%zz HTTP/1.1")).contains(" 400 ");
    assertThat(get("/views/temps?key=s1&from=%2B300000000-01-01T00:00:00Z", 400).get("error").asText())
        .isEqualTo("from='+300000000-01-01T00:00:00Z' is neither ISO-8601 nor epoch millis");
    assertThat(get("/health", 200).get("status").asText()).isEqualTo("UP");
    server.addHealthCheck("speedLayer", () -> false);
    JsonNode down = get("/health", 503);
    assertThat(down.get("status").asText()).isEqualTo("DOWN");
    assertThat(down.get("components").get("speedLayer").asText()).isEqualTo("DOWN");
  }

  /** Sends a request line the JDK client would refuse to build; returns the status line. */
  String rawRequestStatusLine(String requestLine) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket.getOutputStream().write((requestLine + "\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }
  }

  @Test
  void metricsAreInPrometheusFormat() throws Exception {
    get("/views", 200);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).contains("lambda_serving_requests_seconds_count");
  }

  @Test
  void anOccupiedPortIsOneClearLine() {
    assertThatThrownBy(() -> ServingServer.start(server.port(), CATALOG, store, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("port " + server.port() + " (serving.port) is already in use: stop the process using it "
            + "or choose another port with --serving-port or LAMBDA_SERVING_PORT");
  }
}
