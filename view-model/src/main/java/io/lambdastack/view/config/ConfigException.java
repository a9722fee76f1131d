package io.lambdastack.view.config;

/**
 * A problem found at startup (bad config, occupied port, unreachable broker, unwritable directory). The
 * message is one line naming the problem and the fix; launchers print it and exit non-zero, no stack trace.
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
