package io.lambdastack.infra.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.infra.cli.LambdaCli;
import io.lambdastack.infra.platform.StartupChecks;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad view file, occupied port, unwritable state directory, unreachable broker: the command prints one line
 * naming the problem and the fix, exits non-zero, and shows no stack trace. Each runs {@code lambda} as its
 * own JVM, as a user would.
 */
class StartupErrorsIT {
  static Path work;

  @BeforeAll
  static void dir() throws Exception {
    work = Files.createTempDirectory(Path.of("target"), "startup-errors-").toAbsolutePath();
  }

  /** Runs lambda with args; returns (exit code, output lines). */
  static Result run(String name, List<String> args, Map<String, String> env) throws Exception {
    try (ChildJvm child = ChildJvm.start(work.resolve(name + ".log"), LambdaCli.class.getName(), args, env)) {
      Integer exit = child.waitFor(Duration.ofSeconds(60));
      assertThat(exit).as(name + " did not exit:\n" + child.output()).isNotNull();
      List<String> lines = new ArrayList<>(child.output().lines().filter(l -> !l.isBlank()).toList());
      return new Result(exit, lines);
    }
  }

  record Result(int exit, List<String> lines) {
    void isOneLineError(String expected) {
      assertThat(exit).as(String.join("\n", lines)).isEqualTo(2);
      assertThat(lines).as("exactly one line, no stack trace").hasSize(1);
      assertThat(lines.get(0)).isEqualTo("error: " + expected);
    }
  }

  @Test
  void badViewFile() throws Exception {
    Path views = Files.writeString(work.resolve("bad-views.yaml"), """
        views:
          - name: t
            source: readings
            key: [sensorId]
            bucket: 0
            measures: [count]
        """);
    run("bad-bucket", List.of("demo", "--views", views.toString(), "--state-dir", work.resolve("s1").toString()), PlatformPorts.env())
        .isOneLineError(views + ": view 't': bucket width must be positive, got '0' (e.g. bucket: 1m)");
    Files.writeString(views, Files.readString(views).replace("bucket: 0", "bucket: 1m\n    lateness: -1m"));
    run("bad-lateness", List.of("demo", "--views", views.toString(), "--state-dir", work.resolve("s1").toString()), PlatformPorts.env())
        .isOneLineError(views + ": view 't': lateness must not be negative, got '-1m' (use 0s for none)");
    Files.writeString(views, Files.readString(views).replace("lateness: -1m", "latenes: 1m"));
    run("unknown-field", List.of("demo", "--views", views.toString(), "--state-dir", work.resolve("s1").toString()), PlatformPorts.env())
        .isOneLineError(views + ": view 't': unknown field 'latenes' (did you mean 'lateness'?); "
            + "allowed fields: name, kind, source, key, bucket, lateness, window, slide, top, reset, measures, description");
    Files.writeString(views, Files.readString(views).replace("latenes: 1m", "lateness: 1m").replace("[count]", "[count, median(x)]"));
    run("unknown-measure", List.of("demo", "--views", views.toString(), "--state-dir", work.resolve("s1").toString()), PlatformPorts.env())
        .isOneLineError(views + ": view 't': unknown measure 'median' in 'median(x)' (did you mean 'mean'?); "
            + "known measures: count, sum, min, max, mean, distinct, quantiles");
  }

  @Test
  void occupiedPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Map<String, String> env = new java.util.HashMap<>(PlatformPorts.env());
      env.put("LAMBDA_SERVING_PORT", Integer.toString(taken.getLocalPort()));
      run("port", List.of("demo", "--views", "../config/views.yaml", "--state-dir", work.resolve("s2").toString()), env)
          .isOneLineError("port " + taken.getLocalPort() + " (serving.port) is already in use: stop the process using it "
              + "or choose another port with LAMBDA_SERVING_PORT=PORT");
    }
  }

  @Test
  void unwritableStateDirectory() throws Exception {
    Path file = Files.writeString(work.resolve("a-file"), "not a directory");
    Path state = file.resolve("state");
    run("state-dir", List.of("demo", "--views", "../config/views.yaml", "--state-dir", state.toString()), PlatformPorts.env())
        .isOneLineError("state directory " + state + " is not writable (FileSystemException): choose another with "
            + "--state-dir or LAMBDA_STATE_DIR");
  }

  @Test
  void badSettingValue() throws Exception {
    Map<String, String> env = new java.util.HashMap<>(PlatformPorts.env());
    env.put("LAMBDA_GENERATOR_RATE", "fast");
    run("bad-setting", List.of("demo", "--views", "../config/views.yaml", "--state-dir", work.resolve("s3").toString()), env)
        .isOneLineError("generator.rate='fast' (from environment variable LAMBDA_GENERATOR_RATE) is not an integer; "
            + "generated events per second");
  }

  @Test
  void unreachableBroker() throws Exception {
    int nobody = StartupChecks.freePort();
    run("broker", List.of("speed-layer", "--views", "../config/views.yaml", "--bootstrap-servers", "127.0.0.1:" + nobody,
        "--checkpoint", work.resolve("cp").toString()), Map.of())
        .isOneLineError("cannot reach Kafka at 127.0.0.1:" + nobody + " within 10 s: check --bootstrap-servers "
            + "(or LAMBDA_KAFKA_BOOTSTRAP) and that the broker is running");
  }

  @Test
  void helpOnEveryCommand() throws Exception {
    for (List<String> args : List.of(List.of("--help"), List.of("demo", "--help"), List.of("speed-layer", "--help"))) {
      try (ChildJvm child = ChildJvm.start(work.resolve("help.log"), LambdaCli.class.getName(), args)) {
        assertThat(child.waitFor(Duration.ofSeconds(60))).isEqualTo(0);
        assertThat(child.output()).contains("Usage:");
      }
    }
  }
}
