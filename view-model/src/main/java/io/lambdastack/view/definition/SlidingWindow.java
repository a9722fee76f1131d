package io.lambdastack.view.definition;

import java.io.Serializable;
import java.time.Duration;

/**
 * The window of a {@code sliding} view: its length, how often it moves, and how many keys its top-K lists
 * (0 = no top-K). Processing time: a window covers the micro-batches of its last {@code window}.
 */
public record SlidingWindow(Duration window, Duration slide, int top) implements Serializable {
  public long windowMillis() {
    return window.toMillis();
  }

  public long slideMillis() {
    return slide.toMillis();
  }
}
