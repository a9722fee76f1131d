package io.lambdastack.batch.recompute;

import io.lambdastack.view.config.ConfigException;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Event days {@code [from, to)} (UTC) a recompute reads; either end may be open (null). */
public record DateRange(LocalDate from, LocalDate to) implements Serializable {
  public static final DateRange ALL = new DateRange(null, null);

  public DateRange {
    if (from != null && to != null && !from.isBefore(to)) {
      throw new ConfigException("--from " + from + " must be before --to " + to);
    }
  }

  public static DateRange parse(String from, String to) {
    return new DateRange(day("--from", from), day("--to", to));
  }

  private static LocalDate day(String option, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new ConfigException(option + " '" + text + "' is not a date like 2026-11-24");
    }
  }

  public boolean isAll() {
    return from == null && to == null;
  }

  public boolean contains(long eventTime) {
    return (from == null || eventTime >= startMillis(from)) && (to == null || eventTime < startMillis(to));
  }

  /** Whether an event day (ISO date, as in the dataset's date= directories) lies in the range. */
  public boolean containsDay(String isoDate) {
    LocalDate day = LocalDate.parse(isoDate);
    return (from == null || !day.isBefore(from)) && (to == null || day.isBefore(to));
  }

  /** The first millisecond after the range, or Long.MAX_VALUE. */
  public long endMillis() {
    return to == null ? Long.MAX_VALUE : startMillis(to);
  }

  private static long startMillis(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }
}
