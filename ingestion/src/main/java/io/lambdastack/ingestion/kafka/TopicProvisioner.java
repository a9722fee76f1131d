package io.lambdastack.ingestion.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates topics if absent and returns only once every partition has a leader that serves requests.
 * {@code createTopics().all().get()} returns earlier; an idempotent producer sending at once can then lose
 * its first batch without {@code flush()} throwing (measured on this stack: see STACK.md).
 */
public final class TopicProvisioner {
  private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

  public record TopicSpec(String name, int partitions, short replication, Map<String, String> configs) {
    public static TopicSpec of(String name, int partitions) {
      return new TopicSpec(name, partitions, (short) 1, Map.of());
    }

    /** A compacted topic: the latest record per key is kept forever (views as upserts). */
    public static TopicSpec compacted(String name, int partitions) {
      return new TopicSpec(name, partitions, (short) 1, Map.of("cleanup.policy", "compact",
          "min.cleanable.dirty.ratio", "0.1", "segment.ms", "600000"));
    }
  }

  private final Admin admin;

  public TopicProvisioner(Admin admin) {
    this.admin = admin;
  }

  public void ensure(List<TopicSpec> topics, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> existing = get(admin.listTopics().names(), deadline);
    List<NewTopic> missing = new ArrayList<>();
    for (TopicSpec t : topics) {
      if (!existing.contains(t.name())) {
        missing.add(new NewTopic(t.name(), t.partitions(), t.replication()).configs(t.configs()));
      }
    }
    if (!missing.isEmpty()) {
      try {
        admin.createTopics(missing).all().get(remaining(deadline), TimeUnit.MILLISECONDS);
        log.info("created topics {}", missing.stream().map(NewTopic::name).toList());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
        }
      } catch (TimeoutException e) {
        throw new IllegalStateException("creating topics timed out after " + timeout);
      }
    }
    awaitLeaders(topics.stream().map(TopicSpec::name).toList(), deadline);
  }

  /** Waits until listOffsets(latest) answers for every partition: then the leaders really serve. */
  private void awaitLeaders(List<String> names, long deadline) throws InterruptedException {
    while (true) {
      try {
        Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames()
            .get(remaining(deadline), TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        descriptions.values().forEach(d -> d.partitions().forEach(
            p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
        admin.listOffsets(request).all().get(remaining(deadline), TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException | TimeoutException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("partition leaders of " + names + " not ready: " + notYet.getMessage());
        }
        Thread.sleep(100);
      }
    }
  }

  private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future, long deadline) throws InterruptedException {
    try {
      return future.get(remaining(deadline), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer: " + e.getMessage(), e);
    }
  }

  private static long remaining(long deadline) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
  }
}
