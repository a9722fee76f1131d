package io.lambdastack.view.config;

/**
 * Marks an exception whose message alone tells the user what is wrong and where (a corrupt file, a bad
 * setting): {@link OneLineErrors} prints it as {@code error: <message>} without a stack trace.
 */
public interface OneLineProblem {}
