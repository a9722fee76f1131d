package io.lambdastack.view.definition;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human durations for config files: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}, or ISO {@code PT10S}. */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(-?\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /** @throws IllegalArgumentException with a message that shows the accepted forms */
  /** {@link #parse} for a command-line option: a bad value is one line naming the option. */
  public static Duration option(String option, String text) {
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new io.lambdastack.view.config.ConfigException(option + " " + e.getMessage());
    }
  }

  public static Duration parse(String text) {
    String t = text.trim();
    try {
      return parseUnchecked(t);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too large a duration");
    }
  }

  private static Duration parseUnchecked(String t) {
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    if (t.matches("-?\\d+")) {
      return Duration.ofMillis(Long.parseLong(t)); // a bare number is millis; "0" is then caught as zero
    }
    try {
      return Duration.parse(t);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + t + "' is not a duration (use e.g. 500ms, 10s, 5m, 2h, 1d or PT10S)");
    }
  }

  /** Shortest exact form: 10s rather than PT10S, so API answers read like the view file. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms != 0 && ms % 86_400_000 == 0) return ms / 86_400_000 + "d";
    if (ms != 0 && ms % 3_600_000 == 0) return ms / 3_600_000 + "h";
    if (ms != 0 && ms % 60_000 == 0) return ms / 60_000 + "m";
    if (ms % 1000 == 0) return ms / 1000 + "s";
    return ms + "ms";
  }
}
