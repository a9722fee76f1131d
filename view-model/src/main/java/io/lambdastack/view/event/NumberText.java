package io.lambdastack.view.event;

/** Canonical text of a number: integral values without a trailing ".0", so key 7 and 7.0 agree. */
final class NumberText {
  private NumberText() {}

  static String of(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }
}
