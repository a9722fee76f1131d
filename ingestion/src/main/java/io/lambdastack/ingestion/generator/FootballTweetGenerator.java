package io.lambdastack.ingestion.generator;

import io.lambdastack.view.event.Event;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Tweets about a football match: a hashtag and a few words each, at a base rate that bursts (x10, decaying
 * over 3 minutes) after every goal, when #goal and the scorer's hashtag take over. Seeded, so reproducible.
 * A tweet is a flat event: {@code hashtag} (its main tag), {@code words}, {@code user}, {@code lang}.
 */
public final class FootballTweetGenerator {
  static final List<String> CHATTER = List.of("#matchday", "#football", "#derby", "#ref", "#var", "#lineup", "#fans");
  static final List<String> WORDS = List.of("what", "a", "game", "come", "on", "unbelievable", "pass", "save", "referee",
      "offside", "penalty", "shot", "keeper", "crowd", "chance", "miss", "defence", "attack", "corner");
  static final long BURST_MILLIS = 180_000;

  /** A goal: minute of play (from kick-off) and the scorer's hashtag. */
  public record Goal(int minute, String scorer) {}

  private final long kickOff;
  private final List<Goal> goals;
  private final Random random;
  private long sequence;

  public FootballTweetGenerator(long kickOff, List<Goal> goals, long seed) {
    this.kickOff = kickOff;
    this.goals = List.copyOf(goals);
    this.random = new Random(seed);
  }

  /** How many times the base rate tweets come at this time: 10 right after a goal, decaying to 1. */
  public double intensity(long eventTime) {
    double intensity = 1;
    for (Goal g : goals) {
      long since = eventTime - goalTime(g);
      if (since >= 0 && since < BURST_MILLIS) {
        intensity = Math.max(intensity, 1 + 9.0 * (BURST_MILLIS - since) / BURST_MILLIS);
      }
    }
    return intensity;
  }

  long goalTime(Goal g) {
    return kickOff + g.minute() * 60_000L;
  }

  public Event next(long eventTime) {
    long n = sequence++;
    String hashtag = hashtag(eventTime);
    StringBuilder words = new StringBuilder();
    for (int i = 0, k = 2 + random.nextInt(5); i < k; i++) {
      words.append(i == 0 ? "" : " ").append(WORDS.get(random.nextInt(WORDS.size())));
    }
    return new Event("tweet-" + eventTime + "-" + n, eventTime, Map.of("hashtag", hashtag, "words", words.toString(),
        "user", "user" + random.nextInt(5000), "lang", random.nextInt(10) < 7 ? "en" : "es"), Map.of());
  }

  /** After a goal, most tweets are about it; otherwise chatter. */
  private String hashtag(long eventTime) {
    for (Goal g : goals) {
      long since = eventTime - goalTime(g);
      if (since >= 0 && since < BURST_MILLIS && random.nextDouble() < 0.8 * (BURST_MILLIS - since) / BURST_MILLIS + 0.1) {
        return random.nextBoolean() ? "#goal" : "#" + g.scorer();
      }
    }
    return CHATTER.get(random.nextInt(CHATTER.size()));
  }
}
