package io.lambdastack.view.definition;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The measures a view may declare. Each is a mergeable monoid (see {@code io.lambdastack.view.measure}). */
public enum MeasureKind {
  COUNT(false), SUM(true), MIN(true), MAX(true), MEAN(true), DISTINCT(true), QUANTILES(true);

  private final boolean needsField;

  MeasureKind(boolean needsField) {
    this.needsField = needsField;
  }

  public boolean needsField() {
    return needsField;
  }

  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<MeasureKind> of(String token) {
    return Arrays.stream(values()).filter(k -> k.token().equals(token.trim().toLowerCase(Locale.ROOT))).findFirst();
  }

  public static String known() {
    return Arrays.stream(values()).map(MeasureKind::token).collect(Collectors.joining(", "));
  }
}
