package io.lambdastack.view.definition;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a view groups its events, declared with {@code kind:} in the view file.
 *
 * <ul>
 *   <li>{@code buckets} (default): tumbling event-time buckets with an allowed lateness; both layers compute them;
 *   <li>{@code sliding}: processing-time sliding windows ({@code window}, {@code slide}, optional {@code top}),
 *       e.g. "hashtags of the last 10 minutes" — a speed-only view of "now";
 *   <li>{@code running}: a running total per key since the key was first seen;
 *   <li>{@code landmark}: per key, segments from one reset marker to the next, in event time.
 * </ul>
 */
public enum ViewKind {
  BUCKETS, SLIDING, RUNNING, LANDMARK;

  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ViewKind> of(String token) {
    return Arrays.stream(values()).filter(k -> k.token().equals(token.trim().toLowerCase(Locale.ROOT))).findFirst();
  }

  public static String known() {
    return Arrays.stream(values()).map(ViewKind::token).collect(Collectors.joining(", "));
  }
}
