package io.lambdastack.infra.cli;

import io.lambdastack.infra.platform.Demo;
import io.lambdastack.infra.platform.PlatformSettings;
import io.lambdastack.view.config.Settings;
import io.lambdastack.view.config.StopSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./lambda demo}: everything embedded, data flowing, one URL printed; Ctrl-C stops it gracefully. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the whole platform embedded, with data flowing, and print the serving URL.",
        "Starts Kafka (KRaft), HDFS, Spark local, a sensor generator, the speed layer and the serving",
        "layer, all on 127.0.0.1. Ctrl-C or SIGTERM stops it within 30 s; a second run resumes from the",
        "state directory (Kafka logs, HDFS data, the speed layer's checkpoint)."})
final class DemoCommand implements Callable<Integer> {
  static final long STOP_DEADLINE_MS = 30_000;

  @Option(names = "--config", description = "settings file (default config/lambda.properties if present); env LAMBDA_* overrides it")
  Path config;

  @Option(names = "--state-dir", description = "state directory (default .lambda)")
  String stateDir;

  @Option(names = "--views", description = "view file (default config/views.yaml)")
  String views;

  @Option(names = "--serving-port", description = "HTTP port (default 18080)")
  Integer servingPort;

  @Option(names = "--rate", description = "generated events per second (default 200)")
  Integer rate;

  @Option(names = "--sensors", description = "simulated sensors (default 20)")
  Integer sensors;

  @Override
  public Integer call() throws Exception {
    Map<String, String> overrides = new HashMap<>();
    put(overrides, PlatformSettings.STATE_DIR.key(), stateDir);
    put(overrides, PlatformSettings.VIEWS.key(), views);
    put(overrides, PlatformSettings.SERVING_PORT.key(), servingPort);
    put(overrides, PlatformSettings.RATE.key(), rate);
    put(overrides, PlatformSettings.SENSORS.key(), sensors);
    Path file = config != null ? config : (Files.exists(Path.of("config/lambda.properties")) ? Path.of("config/lambda.properties") : null);
    Settings settings = Settings.load(PlatformSettings.ALL, file, System.getenv(), overrides);

    StopSignal stop = StopSignal.install();
    long t0 = System.nanoTime();
    Demo demo = Demo.start(settings);
    System.out.println("Serving at " + demo.url() + "   (started in " + (System.nanoTime() - t0) / 1_000_000 + " ms; "
        + "try " + demo.url() + "/views ; Ctrl-C to stop)");
    System.out.flush();
    String signal = stop.await();
    System.out.println("stopping on " + signal + " (graceful, at most " + STOP_DEADLINE_MS / 1000 + " s)...");
    long t1 = System.nanoTime();
    StopSignal.stopWithin(STOP_DEADLINE_MS, demo::close);
    System.out.println("stopped in " + (System.nanoTime() - t1) / 1_000_000 + " ms");
    return 0;
  }

  private static void put(Map<String, String> m, String key, Object value) {
    if (value != null) {
      m.put(key, value.toString());
    }
  }
}
