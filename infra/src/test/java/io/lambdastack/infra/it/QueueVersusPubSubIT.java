package io.lambdastack.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lambdastack.ingestion.kafka.EventPublisher;
import io.lambdastack.ingestion.kafka.TopicProvisioner.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The seed's "message queue versus publish/subscribe", with real consumers on a real broker: consumers of
 * ONE group share the partitions (each record to exactly one of them; when one dies its partitions move to
 * the others); consumers of DIFFERENT groups each get every record. Per-key order holds within a partition.
 */
@ExtendWith(SharedPlatform.class)
class QueueVersusPubSubIT {
  static final String TOPIC = "queue-vs-pubsub";
  static final int PARTITIONS = 4;

  /** A consumer in its own thread, recording what it received. */
  static final class Member implements AutoCloseable {
    final String name;
    final List<ConsumerRecord<String, String>> received = new CopyOnWriteArrayList<>();
    final AtomicBoolean running = new AtomicBoolean(true);
    volatile int partitionsOwned;
    final Thread thread;

    Member(String name, String group) {
      this.name = name;
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedPlatform.get().bootstrapServers());
      p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
      p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
      thread = new Thread(() -> {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
          c.subscribe(List.of(TOPIC));
          while (running.get()) {
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
              received.add(r);
            }
            partitionsOwned = c.assignment().size();
            c.commitSync(); // processed = committed: a member that dies hands over at its last commit
          }
        }
      }, name);
      thread.start();
    }

    /** Stops polling and closes: leaves the group, its partitions go to the others. */
    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(30_000);
    }
  }

  static void send(EventPublisher p, int from, int to) {
    for (int i = from; i < to; i++) {
      p.sendRaw(TOPIC, "key-" + (i % 10), Integer.toString(i).getBytes(StandardCharsets.UTF_8));
    }
    p.flush();
  }

  @Test
  void oneGroupIsAQueueSeveralGroupsArePubSub() throws Exception {
    SharedPlatform.createTopics(List.of(TopicSpec.of(TOPIC, PARTITIONS)));
    try (EventPublisher producer = new EventPublisher(SharedPlatform.get().bootstrapServers(), "queue-vs-pubsub")) {
      Member a = new Member("queue-a", "workers");
      Member b = new Member("queue-b", "workers");
      Member audit = new Member("pubsub-audit", "audit");
      Member analytics = new Member("pubsub-analytics", "analytics");
      // The queue shares the partitions: wait until the rebalance has given each worker some.
      await().atMost(Duration.ofSeconds(60)).until(() -> a.partitionsOwned > 0 && b.partitionsOwned > 0
          && a.partitionsOwned + b.partitionsOwned == PARTITIONS);
      send(producer, 0, 1000);
      await().atMost(Duration.ofSeconds(60)).until(() -> a.received.size() + b.received.size() == 1000
          && audit.received.size() == 1000 && analytics.received.size() == 1000);

      // Queue: every record reached exactly one worker.
      Set<String> byA = values(a);
      Set<String> byB = values(b);
      assertThat(byA).as("worker a got a share").isNotEmpty();
      assertThat(byB).as("worker b got a share").isNotEmpty();
      assertThat(Collections.disjoint(byA, byB)).isTrue();
      assertThat(union(byA, byB)).hasSize(1000);
      // Pub/sub: each group got every record.
      assertThat(values(audit)).hasSize(1000);
      assertThat(values(analytics)).hasSize(1000);
      // Per-key order within a partition.
      assertPerKeyOrder(audit.received);

      // Failover: worker a dies, b takes over its partitions; nothing produced after is lost.
      int bBefore = b.received.size();
      a.close();
      send(producer, 1000, 1500);
      await().atMost(Duration.ofSeconds(60)).until(() -> b.received.size() - bBefore >= 500);
      Set<String> afterFailover = new HashSet<>();
      b.received.subList(bBefore, b.received.size()).forEach(r -> afterFailover.add(r.value()));
      for (int i = 1000; i < 1500; i++) {
        assertThat(afterFailover).contains(Integer.toString(i));
      }
      assertThat(b.received.subList(bBefore, b.received.size()).stream().map(ConsumerRecord::partition).distinct().count())
          .as("b now reads every partition").isEqualTo(PARTITIONS);
      b.close();
      audit.close();
      analytics.close();
    }
  }

  static Set<String> values(Member m) {
    Set<String> v = new HashSet<>();
    m.received.forEach(r -> v.add(r.value()));
    assertThat(v).as(m.name + " got no record twice").hasSize(m.received.size());
    return v;
  }

  static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new HashSet<>(a);
    u.addAll(b);
    return u;
  }

  static void assertPerKeyOrder(List<ConsumerRecord<String, String>> records) {
    Map<String, List<Integer>> byKey = new HashMap<>();
    records.forEach(r -> byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(Integer.parseInt(r.value())));
    byKey.forEach((k, seq) -> assertThat(seq).as("order of " + k).isSorted());
  }

}
