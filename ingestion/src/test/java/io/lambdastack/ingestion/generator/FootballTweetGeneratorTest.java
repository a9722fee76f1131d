package io.lambdastack.ingestion.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.view.event.Event;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FootballTweetGeneratorTest {
  final FootballTweetGenerator g = new FootballTweetGenerator(0, List.of(new FootballTweetGenerator.Goal(23, "messi")), 1);

  @Test
  void burstsRightAfterAGoalAndCalmsDown() {
    long goal = 23 * 60_000L;
    assertThat(g.intensity(goal - 1)).isEqualTo(1.0);
    assertThat(g.intensity(goal)).isEqualTo(10.0);
    assertThat(g.intensity(goal + 90_000)).isEqualTo(5.5);
    assertThat(g.intensity(goal + 180_000)).isEqualTo(1.0);
  }

  @Test
  void goalHashtagsTrendAfterTheGoalOnly() {
    Map<String, Integer> before = counts(10 * 60_000L);
    Map<String, Integer> after = counts(23 * 60_000L + 10_000);
    assertThat(before).doesNotContainKeys("#goal", "#messi");
    assertThat(after.get("#goal") + after.get("#messi")).isGreaterThan(700); // ~85 % of 1000 just after the goal
  }

  Map<String, Integer> counts(long at) {
    Map<String, Integer> c = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      Event e = g.next(at + i);
      c.merge(e.attributes().get("hashtag"), 1, Integer::sum);
      assertThat(e.attributes().get("words")).isNotBlank();
    }
    return c;
  }
}
