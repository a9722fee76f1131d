package io.lambdastack.view.event;

/** A record that is not a valid event; the message is the precise reason (it becomes a dead-letter header). */
public final class EventFormatException extends Exception {
  public EventFormatException(String reason) {
    super(reason, null, false, false);
  }

  public String reason() {
    return getMessage();
  }
}
