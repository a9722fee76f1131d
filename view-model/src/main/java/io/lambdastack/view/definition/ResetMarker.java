package io.lambdastack.view.definition;

import io.lambdastack.view.event.Event;
import java.io.Serializable;

/**
 * What marks the start of a new landmark segment: an event whose {@code field} equals {@code value}
 * (written {@code reset: type=reset} in the view file; the sensor generator's {@code --reset-every}).
 */
public record ResetMarker(String field, String value) implements Serializable {
  public ResetMarker {
    field = java.util.Objects.requireNonNull(field, "field").intern(); // see ViewDefinition: lookups by an identical name
  }

  public boolean matches(Event event) {
    return value.equals(event.text(field));
  }

  @Override
  public String toString() {
    return field + "=" + value;
  }
}
