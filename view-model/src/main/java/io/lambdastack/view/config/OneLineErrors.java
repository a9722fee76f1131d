package io.lambdastack.view.config;

import io.lambdastack.view.definition.ViewFileException;
import picocli.CommandLine;

/**
 * The picocli handler of every command: a problem the user can fix (bad config or view file, occupied port,
 * unreachable broker, unwritable directory) prints {@code error: <one line>} and exits 2, no stack trace.
 */
public final class OneLineErrors implements CommandLine.IExecutionExceptionHandler {
  public static final int EXIT_CODE = 2;

  /** Runs a command line with this handler. */
  public static int execute(Object command, String... args) {
    return new CommandLine(command).setExecutionExceptionHandler(new OneLineErrors()).execute(args);
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
    if (e instanceof ConfigException || e instanceof ViewFileException || e instanceof OneLineProblem) {
      cmd.getErr().println("error: " + e.getMessage());
      return EXIT_CODE;
    }
    throw e;
  }
}
