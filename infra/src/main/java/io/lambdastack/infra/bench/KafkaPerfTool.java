package io.lambdastack.infra.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;

/**
 * Runs one of Kafka's own benchmark tools (ProducerPerformance, ConsumerPerformance from the kafka-tools jar)
 * in this JVM, so it measures the same broker under the same conditions as the platform's code, and returns
 * what the tool printed (its results are parsed from its standard output, as a user would read them).
 */
final class KafkaPerfTool {
  private KafkaPerfTool() {}

  static String run(String toolClass, String... args) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true));
    try {
      Class.forName(toolClass).getMethod("main", String[].class).invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
    } finally {
      System.setOut(original);
    }
    return captured.toString();
  }
}
