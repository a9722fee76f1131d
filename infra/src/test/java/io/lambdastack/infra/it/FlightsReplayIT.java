package io.lambdastack.infra.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.infra.cli.LambdaCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real dataset end to end: {@code lambda produce replay} of flights-3m delivers every one of its
 * 3,000,000 rows, in event-time order, and the topic holds exactly that many records (counted by reading).
 * The dataset is fetched by scripts/fetch-flights.sh (npm pack), as a user would.
 */
@ExtendWith(SharedPlatform.class)
class FlightsReplayIT {
  @Test
  void replayDeliversEveryRowOfTheFileInEventTimeOrder() throws Exception {
    Process fetch = new ProcessBuilder("bash", "../scripts/fetch-flights.sh").redirectErrorStream(true).start();
    String fetched = new String(fetch.getInputStream().readAllBytes()).trim();
    assertThat(fetch.waitFor()).as("scripts/fetch-flights.sh: " + fetched).isEqualTo(0);
    Path file = Path.of("..").resolve(fetched.lines().reduce((a, b) -> b).orElseThrow()).toAbsolutePath().normalize();
    assertThat(Files.size(file)).isGreaterThan(10_000_000);

    String bootstrap = SharedPlatform.get().bootstrapServers();
    Path log = Files.createTempDirectory(Path.of("target"), "flights-it-").resolve("replay.log");
    try (ChildJvm replay = ChildJvm.start(log, LambdaCli.class.getName(), List.of("produce", "replay", file.toString(),
        "--topic", "flights-3m", "--rate", "0", "--key-field", "origin", "--bootstrap-servers", bootstrap), Map.of())) {
      assertThat(replay.waitFor(Duration.ofMinutes(10))).as(replay.output()).isEqualTo(0);
      assertThat(replay.output()).contains("done: sent 3,000,000  acknowledged 3,000,000  failed 0")
          .contains("replayed 3,000,000 of 3,000,000 events");
    }

    // Count by reading, and check event-time order within every partition (keys are airports).
    Map<Integer, Long> lastTime = new java.util.HashMap<>();
    long records = io.lambdastack.ingestion.validation.IngestReport.forEachCommitted(bootstrap, "flights-3m", r -> {
      long ts = timestamp(r.value());
      assertThat(ts).as("event-time order in partition " + r.partition()).isGreaterThanOrEqualTo(lastTime.getOrDefault(r.partition(), Long.MIN_VALUE));
      lastTime.put(r.partition(), ts);
    });
    assertThat(records).isEqualTo(3_000_000);
  }

  /** The "ts" of an event's JSON without a full parse (3 million of them). */
  static long timestamp(byte[] json) {
    String s = new String(json, java.nio.charset.StandardCharsets.UTF_8);
    int i = s.indexOf("\"ts\":") + 5;
    int j = i;
    while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '-')) j++;
    return Long.parseLong(s.substring(i, j));
  }
}
