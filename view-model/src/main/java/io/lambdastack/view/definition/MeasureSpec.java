package io.lambdastack.view.definition;

import java.io.Serializable;
import java.util.Objects;

/**
 * One declared measure: its output name, its kind and the field it reads ({@code null} for count).
 * Written in the view file as {@code count}, {@code mean(temperature)} or {@code mean(temperature) as avg_temp}.
 */
public record MeasureSpec(String name, MeasureKind kind, String field) implements Serializable {
  public MeasureSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    field = field == null ? null : field.intern(); // see ViewDefinition: lookups by an identical name
  }

  /** The default output name: {@code count}, {@code mean_temperature}, ... */
  public static String defaultName(MeasureKind kind, String field) {
    return field == null ? kind.token() : kind.token() + "_" + field;
  }

  /** The expression as written in a view file. */
  public String expression() {
    String call = field == null ? kind.token() : kind.token() + "(" + field + ")";
    return name.equals(defaultName(kind, field)) ? call : call + " as " + name;
  }
}
