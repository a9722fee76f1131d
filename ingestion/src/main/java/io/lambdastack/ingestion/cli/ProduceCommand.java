package io.lambdastack.ingestion.cli;

import io.lambdastack.ingestion.generator.Drift;
import io.lambdastack.ingestion.generator.MalformedRecords;
import io.lambdastack.ingestion.generator.SensorTemperatureGenerator;
import io.lambdastack.ingestion.kafka.EventPublisher;
import io.lambdastack.ingestion.kafka.TopicProvisioner;
import io.lambdastack.view.config.ConfigException;
import io.lambdastack.view.config.StopSignal;
import io.lambdastack.view.definition.Durations;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.EventJson;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lambda produce ...}: write events to Kafka (keyed, idempotent, acks=all, every send checked). */
@Command(name = "produce", mixinStandardHelpOptions = true, description = "Write events to a Kafka topic.",
    subcommands = {ProduceCommand.Sensors.class, ProduceCommand.Tweets.class, ProduceCommand.Lines.class, ProduceCommand.Replay.class})
public final class ProduceCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Options every producer shares. */
  static class Common {
    @picocli.CommandLine.Mixin
    io.lambdastack.view.config.KafkaBootstrap kafka;

    @Option(names = "--topic", defaultValue = "raw-readings", description = "target topic, created if missing (default ${DEFAULT-VALUE})")
    String topic;

    @Option(names = "--rate", defaultValue = "200", description = "events per second; 0 = unthrottled (default ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--burst", defaultValue = "0", description = "send this many events at once every --every (bursts instead of --rate)")
    long burst;

    @Option(names = "--every", defaultValue = "10s", description = "period of --burst (default ${DEFAULT-VALUE})")
    String every;

    Pacer pacer() {
      try {
        return new Pacer(rate, burst, Durations.parse(every).toMillis());
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--every " + e.getMessage());
      }
    }

    EventPublisher publisher(String clientId) throws InterruptedException {
      String bootstrap = kafka.servers();
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15000))) {
        new TopicProvisioner(admin).ensure(List.of(TopicProvisioner.TopicSpec.of(topic, 3)), Duration.ofSeconds(20));
      } catch (IllegalStateException e) {
        throw new ConfigException("cannot reach Kafka at " + bootstrap + " or create topic " + topic
            + ": check --bootstrap-servers (or LAMBDA_KAFKA_BOOTSTRAP) and that the broker is running");
      }
      return new EventPublisher(bootstrap, clientId);
    }

    /** Runs the send loop until {@code more} is false or SIGINT/SIGTERM; flushes; prints the summary. */
    int run(EventPublisher publisher, Pacer pacer, java.util.function.BooleanSupplier sendOne) throws InterruptedException {
      AtomicBoolean stop = new AtomicBoolean();
      StopSignal signal = StopSignal.install();
      Thread watcher = new Thread(() -> {
        try {
          signal.await();
          stop.set(true);
        } catch (InterruptedException ignored) {
          // done
        }
      }, "produce-stop");
      watcher.setDaemon(true);
      watcher.start();
      Progress progress = new Progress(publisher, System.err);
      try {
        while (!stop.get()) {
          pacer.awaitTurn();
          if (!sendOne.getAsBoolean()) {
            break;
          }
          progress.tick();
        }
        publisher.flush(); // throws if any send failed: never a silent loss
      } finally {
        System.out.println(progress.line("done"));
        publisher.close();
      }
      return publisher.failed() == 0 ? 0 : 1;
    }
  }

  /** Generator options: how many, which seed, and wall-clock or simulated event time. */
  static final class Simulation {
    @Option(names = "--count", defaultValue = "0", description = "events to send; 0 = until Ctrl-C")
    long count;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--start", description = "simulate event time from here (ISO-8601 or epoch millis) instead of the wall clock")
    String start;

    @Option(names = "--speedup", defaultValue = "1", description = "with --start: simulated time runs this many times faster than real time")
    double speedup;

    long firstEventTime() {
      return start == null ? System.currentTimeMillis() : time("--start", start);
    }

    boolean done(long sent) {
      return count > 0 && sent >= count;
    }
  }

  @Command(name = "sensors", mixinStandardHelpOptions = true,
      description = {"Temperature sensors: diurnal cycle, noise, optional drift and reset markers.",
          "Event time is the wall clock, or simulated from --start at --speedup x real time."})
  static final class Sensors extends Common implements Callable<Integer> {
    @Option(names = "--sensors", defaultValue = "20", description = "number of sensors (default ${DEFAULT-VALUE})")
    int sensors;

    @picocli.CommandLine.Mixin
    Simulation sim;

    @Option(names = "--malformed", defaultValue = "0", description = "fraction of records sent deliberately malformed (0..1)")
    double malformed;

    @Option(names = "--shift-sensor", description = "drift: this sensor's calibration shifts...")
    String shiftSensor;

    @Option(names = "--shift-at", description = "...from this event time (ISO-8601 or epoch millis)...")
    String shiftAt;

    @Option(names = "--shift-degrees", defaultValue = "3", description = "...by this many degrees (default ${DEFAULT-VALUE})")
    double shiftDegrees;

    @Option(names = "--gradual-per-hour", defaultValue = "0", description = "drift: every sensor's mean moves this many degrees per hour...")
    double gradualPerHour;

    @Option(names = "--gradual-from", description = "...from this event time (default: the first event)")
    String gradualFrom;

    @Option(names = "--reset-every", description = "emit a reset marker per sensor every this much event time (landmark windows), e.g. 10m")
    String resetEvery;

    @Override
    public Integer call() throws Exception {
      if (sensors <= 0) throw new ConfigException("--sensors must be positive");
      if (!(malformed >= 0 && malformed <= 1)) throw new ConfigException("--malformed must lie in 0..1");
      long first = sim.firstEventTime();
      Drift drift = Drift.NONE;
      if (shiftSensor != null) {
        if (shiftAt == null) throw new ConfigException("--shift-sensor needs --shift-at TIME");
        drift = drift.withShift(shiftSensor, time("--shift-at", shiftAt), shiftDegrees);
      }
      if (gradualPerHour != 0) {
        drift = drift.withGradual(gradualFrom == null ? first : time("--gradual-from", gradualFrom), gradualPerHour);
      }
      SensorTemperatureGenerator generator = new SensorTemperatureGenerator(sensors, sim.seed).withDrift(drift);
      if (resetEvery != null) {
        generator.withResetMarkers(duration("--reset-every", resetEvery));
      }
      double step = rate > 0 ? 1000.0 / rate * sim.speedup : 1;
      Random random = new Random(sim.seed);
      long[] n = {0};
      EventPublisher publisher = publisher("produce-sensors");
      return run(publisher, pacer(), () -> {
        if (sim.done(n[0])) return false;
        long eventTime = sim.start == null ? System.currentTimeMillis() : first + (long) (n[0] * step);
        n[0]++;
        Event e = generator.next(eventTime);
        String key = e.attributes().get("sensorId");
        if (malformed > 0 && random.nextDouble() < malformed) {
          publisher.sendRaw(topic, key, MalformedRecords.corrupt(e, random));
        } else {
          publisher.send(topic, key, e);
        }
        return true;
      });
    }
  }

  @Command(name = "tweets", mixinStandardHelpOptions = true,
      description = {"Tweets about a football match (hashtag, words, user, lang), bursting x10 after each goal.",
          "--rate is the base rate; event time is the wall clock, or simulated from --start at --speedup.",
          "Use --topic raw-tweets (or any) to keep tweets apart from the sensor readings."})
  static final class Tweets extends Common implements Callable<Integer> {
    @Option(names = "--goals", defaultValue = "23:messi,57:mbappe,88:messi", split = ",",
        description = "goals as minute:scorer (default ${DEFAULT-VALUE})")
    List<String> goals;

    @Option(names = "--kick-off", description = "kick-off time (ISO-8601 or epoch millis); default: now")
    String kickOff;

    @picocli.CommandLine.Mixin
    Simulation sim;

    @Override
    public Integer call() throws Exception {
      if (rate <= 0) throw new ConfigException("tweets need a base --rate > 0 (the bursts multiply it)");
      long first = sim.firstEventTime();
      long kick = kickOff == null ? first : time("--kick-off", kickOff);
      List<io.lambdastack.ingestion.generator.FootballTweetGenerator.Goal> parsed = goals.stream().map(g -> {
        String[] p = g.split(":");
        try {
          return new io.lambdastack.ingestion.generator.FootballTweetGenerator.Goal(Integer.parseInt(p[0].trim()), p[1].trim());
        } catch (RuntimeException e) {
          throw new ConfigException("--goals: '" + g + "' is not minute:scorer, e.g. 23:messi");
        }
      }).toList();
      io.lambdastack.ingestion.generator.FootballTweetGenerator generator =
          new io.lambdastack.ingestion.generator.FootballTweetGenerator(kick, parsed, sim.seed);
      long[] n = {0};
      double[] simulated = {first};
      EventPublisher publisher = publisher("produce-tweets");
      // The pacer runs at the base rate; a burst sends `intensity` tweets per turn.
      return run(publisher, new Pacer(rate, 0, 0), () -> {
        long now = sim.start == null ? System.currentTimeMillis() : (long) simulated[0];
        int k = (int) Math.round(generator.intensity(now));
        for (int j = 0; j < k; j++) {
          if (sim.done(n[0])) return false;
          Event e = generator.next(now);
          publisher.send(topic, e.attributes().get("user"), e);
          n[0]++;
        }
        simulated[0] += 1000.0 / rate * sim.speedup;
        return true;
      });
    }
  }

  @Command(name = "lines", mixinStandardHelpOptions = true,
      description = "Send each line of a file as one raw record (for testing the validator with your own bad data).")
  static final class Lines extends Common implements Callable<Integer> {
    @Parameters(index = "0", description = "the file")
    Path file;

    @Option(names = "--key", description = "record key of every line (default: none)")
    String key;

    @Override
    public Integer call() throws Exception {
      BufferedReader reader;
      try {
        reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1); // bytes as they are, even invalid UTF-8
      } catch (NoSuchFileException e) {
        throw new ConfigException(file + ": no such file");
      }
      EventPublisher publisher = publisher("produce-lines");
      try (reader) {
        return run(publisher, pacer(), () -> {
          try {
            String line = reader.readLine();
            if (line == null) return false;
            publisher.sendRaw(topic, key, line.getBytes(StandardCharsets.ISO_8859_1));
            return true;
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
      }
    }
  }

  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = {"Replay a dataset (Parquet, CSV with a header, or JSON lines of events) in event-time order, at --speedup x",
          "real time (3600 = one hour of data per second), at a fixed --rate, or unthrottled (--rate 0).",
          "The real dataset: scripts/fetch-flights.sh (3,000,000 US flights, 2001-01..06)."})
  static final class Replay extends Common implements Callable<Integer> {
    @Parameters(index = "0", description = "the file (.parquet; .csv with a header row; else JSON lines: one event per line)")
    Path file;

    @Option(names = "--time-field", defaultValue = "date", description = "Parquet/CSV column holding the event time (default ${DEFAULT-VALUE})")
    String timeField;

    @Option(names = "--speedup", description = "replay this many times faster than real time (overrides --rate)")
    Double speedup;

    @Option(names = "--key-field", description = "record key: this field's value (e.g. origin); default: the event id")
    String keyField;

    @Override
    public Integer call() throws Exception {
      long t0 = System.nanoTime();
      String name = file.toString().toLowerCase(java.util.Locale.ROOT);
      io.lambdastack.ingestion.replay.ReplayTable table = name.endsWith(".parquet")
          ? io.lambdastack.ingestion.replay.ParquetReplaySource.load(file, timeField)
          : name.endsWith(".csv") ? io.lambdastack.ingestion.replay.CsvReplaySource.load(file, timeField)
          : io.lambdastack.ingestion.replay.JsonLinesReplaySource.load(file);
      System.err.printf("loaded %,d events from %s in %.1f s%n", table.size(), file, (System.nanoTime() - t0) / 1e9);
      if (speedup != null && !(speedup > 0)) throw new ConfigException("--speedup must be positive");
      Pacer pacer = speedup != null ? new Pacer(0, 0, 0) : pacer();
      long wallStart = System.nanoTime();
      int[] i = {0};
      EventPublisher publisher = publisher("produce-replay");
      int code = run(publisher, pacer, () -> {
        if (i[0] >= table.size()) return false;
        if (speedup != null) {
          long due = wallStart + (long) ((table.eventTime(i[0]) - table.eventTime(0)) * 1e6 / speedup);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            try {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return false;
            }
          }
        }
        Event e = table.event(i[0]++);
        String key = keyField == null ? e.id() : e.text(keyField);
        publisher.send(topic, key, e);
        return true;
      });
      System.out.printf("replayed %,d of %,d events of %s%n", i[0], table.size(), file);
      return code;
    }
  }

  static long time(String option, String value) {
    return EventJson.parseTime(value).orElseThrow(() -> new ConfigException(option + " '" + value + "' is neither ISO-8601 nor epoch millis"));
  }

  static long duration(String option, String value) {
    try {
      return Durations.parse(value).toMillis();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(option + " " + e.getMessage());
    }
  }
}
