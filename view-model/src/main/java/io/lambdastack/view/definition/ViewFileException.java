package io.lambdastack.view.definition;

/** A view file that cannot be used. The message is one line: where, what, and how to fix it. */
public final class ViewFileException extends RuntimeException {
  public ViewFileException(String message) {
    super(message, null, false, false);
  }
}
