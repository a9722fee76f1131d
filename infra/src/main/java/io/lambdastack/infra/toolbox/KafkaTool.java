package io.lambdastack.infra.toolbox;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * The real Kafka command-line tools, run from the Kafka jars on this classpath (no Kafka download): every
 * argument goes to the tool unchanged, so {@code ./lambda kafka-topics --help} is Kafka's own help.
 */
public abstract class KafkaTool implements Callable<Integer> {
  @Unmatched
  List<String> args = new java.util.ArrayList<>();

  @Spec
  CommandSpec spec;

  abstract String toolClass();

  @Override
  public Integer call() throws Exception {
    Method main = Class.forName(toolClass()).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) args.toArray(String[]::new));
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
    }
    return 0;
  }

  /** Every tool with its class (Kafka 3.9.2). */
  public static final List<Class<?>> ALL = List.of(Topics.class, ConsoleProducer.class, ConsoleConsumer.class,
      ConsumerGroups.class, ProducerPerfTest.class, ConsumerPerfTest.class, MetadataQuorum.class);

  @Command(name = "kafka-topics", description = "Kafka's topic tool (org.apache.kafka.tools.TopicCommand): create, list, describe, alter, delete")
  public static final class Topics extends KafkaTool {
    @Override String toolClass() { return "org.apache.kafka.tools.TopicCommand"; }
  }

  @Command(name = "kafka-console-producer", description = "Kafka's console producer (kafka.tools.ConsoleProducer): one record per line of stdin")
  public static final class ConsoleProducer extends KafkaTool {
    @Override String toolClass() { return "kafka.tools.ConsoleProducer"; }
  }

  @Command(name = "kafka-console-consumer", description = "Kafka's console consumer (org.apache.kafka.tools.consumer.ConsoleConsumer)")
  public static final class ConsoleConsumer extends KafkaTool {
    @Override String toolClass() { return "org.apache.kafka.tools.consumer.ConsoleConsumer"; }
  }

  @Command(name = "kafka-consumer-groups", description = "Kafka's consumer-group tool (members, offsets, lag, reset)")
  public static final class ConsumerGroups extends KafkaTool {
    @Override String toolClass() { return "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand"; }
  }

  @Command(name = "kafka-producer-perf-test", description = "Kafka's producer benchmark (org.apache.kafka.tools.ProducerPerformance)")
  public static final class ProducerPerfTest extends KafkaTool {
    @Override String toolClass() { return "org.apache.kafka.tools.ProducerPerformance"; }
  }

  @Command(name = "kafka-consumer-perf-test", description = "Kafka's consumer benchmark (org.apache.kafka.tools.ConsumerPerformance)")
  public static final class ConsumerPerfTest extends KafkaTool {
    @Override String toolClass() { return "org.apache.kafka.tools.ConsumerPerformance"; }
  }

  @Command(name = "kafka-metadata-quorum", description = "Kafka's KRaft quorum tool (org.apache.kafka.tools.MetadataQuorumCommand)")
  public static final class MetadataQuorum extends KafkaTool {
    @Override String toolClass() { return "org.apache.kafka.tools.MetadataQuorumCommand"; }
  }
}
