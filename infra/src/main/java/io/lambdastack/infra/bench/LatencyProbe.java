package io.lambdastack.infra.bench;

import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.update.ViewUpdate;
import io.lambdastack.view.update.ViewUpdateJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Produce→visible latency through one bucket view, observed from outside the job: the events' send times on
 * one side, the compacted speed-view topic, read by a plain consumer, on the other.
 *
 * <p>Definition. Let e be the n-th event sent for its cell (view key, bucket) of {@code view}. Every event of a
 * key goes to one partition through one idempotent producer, so partition order is send order, and the speed
 * layer folds a prefix of each partition; an upsert of the cell therefore counts e exactly when its
 * {@code events} is at least n. e is VISIBLE at the wall-clock time this consumer receives the first upsert of
 * its cell with {@code events >= n}; its latency is that time minus its send time (its event time, taken from
 * the same clock just before {@code send}, so producer batching is included). Only events sent through
 * {@link #sent} exist in the cells, so nothing else is counted.
 */
final class LatencyProbe implements AutoCloseable {
  /**
   * Send times of one cell's events, in send order, and how many of them an upsert has shown so far. Once every
   * event of a cell that is no longer written is visible, its send times are dropped: a run sends tens of millions.
   */
  private static final class Cell {
    long[] sendTimes = new long[1024];
    int size;
    int visible;

    void add(long time) {
      if (sendTimes == null) { // written again after it was dropped (a clock step back): only the new times are read
        sendTimes = new long[Math.max(1024, size * 2)];
      } else if (size == sendTimes.length) {
        sendTimes = java.util.Arrays.copyOf(sendTimes, size * 2);
      }
      sendTimes[size++] = time;
    }
  }

  /** One key's cells by bucket start; the last one written is kept at hand, since sends move through time. */
  private static final class KeyCells {
    final Map<Long, Cell> byBucket = new java.util.HashMap<>();
    long lastBucket = Long.MIN_VALUE;
    Cell last;

    Cell forSend(long bucket) {
      if (bucket != lastBucket) {
        last = byBucket.computeIfAbsent(bucket, b -> new Cell());
        lastBucket = bucket;
      }
      return last;
    }
  }

  private final ViewDefinition view;
  private final Map<String, KeyCells> cells = new ConcurrentHashMap<>();
  private final SentLatencies latencies = new SentLatencies();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong visible = new AtomicLong();
  private final Thread reader;
  private volatile boolean running = true;

  LatencyProbe(String bootstrap, String speedViewTopic, ViewDefinition view) {
    this.view = view;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(speedViewTopic).stream()
        .map(i -> new TopicPartition(speedViewTopic, i.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions); // a topic of its own: everything in it answers our events
    reader = new Thread(() -> read(consumer), "latency-probe");
    reader.setDaemon(true);
    reader.start();
  }

  /** Call just before sending an event of {@code key} (in the probed view) whose event time is its send time. */
  void sent(String key, long sendTime) {
    KeyCells k = cells.computeIfAbsent(key, c -> new KeyCells());
    synchronized (k) {
      k.forSend(view.bucketStart(sendTime)).add(sendTime);
    }
    sent.incrementAndGet();
  }

  private void read(KafkaConsumer<byte[], byte[]> consumer) {
    try (consumer) {
      while (running) {
        var records = consumer.poll(Duration.ofMillis(20));
        long now = System.currentTimeMillis();
        for (ConsumerRecord<byte[], byte[]> r : records) {
          ViewUpdate u = ViewUpdateJson.parse(r.value());
          if (u.view().equals(view.name())) {
            seen(u, now);
          }
        }
      }
    }
  }

  private void seen(ViewUpdate u, long now) {
    KeyCells k = cells.get(u.key());
    if (k == null) {
      return;
    }
    synchronized (k) {
      Cell cell = k.byBucket.get(u.bucketStart());
      if (cell == null) {
        return;
      }
      int upTo = (int) Math.min(u.events(), cell.size);
      for (int i = cell.visible; i < upTo; i++) {
        latencies.add(cell.sendTimes[i], now - cell.sendTimes[i]);
      }
      if (upTo > cell.visible) {
        visible.addAndGet(upTo - cell.visible);
        cell.visible = upTo;
      }
      if (cell.visible == cell.size && k.lastBucket != u.bucketStart()) {
        cell.sendTimes = null;
      }
    }
  }

  long sent() {
    return sent.get();
  }

  long visible() {
    return visible.get();
  }

  /** Every visible event's latency, by when it was sent. */
  SentLatencies latencies() {
    return latencies;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    reader.join(5_000);
  }
}
