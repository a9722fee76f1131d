package io.lambdastack.speed.fold;

import static io.lambdastack.speed.testing.FetchedRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdastack.speed.input.KafkaSlice;
import io.lambdastack.speed.landmark.LandmarkEvents;
import io.lambdastack.speed.landmark.LandmarkStateFunction.Found;
import io.lambdastack.speed.state.ViewKey;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.EventJson;
import io.lambdastack.view.kafka.TopicRange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Reading a slice again, with the slice's records in memory: each landmark key gets the events a task that kept them
 * would have kept (other topics, other views and unparseable records left out as the first read left them out); a
 * slice is read once for all its keys while its batch is processed, also by two tasks that want it at once; a failed
 * read is not held.
 */
class SliceRefoldTest {
  static final ViewFold FOLD = new ViewFold(ViewFile.parse("v", """
      views:
        - {name: by_k, source: t, key: [k], bucket: 10s, measures: [count, sum(x), min(x), max(x)]}
        - {name: segments, kind: landmark, source: t, key: [k], reset: type=reset, measures: [count, mean(x), min(x), max(x)]}
      """));
  static final ViewDefinition SEGMENTS = FOLD.catalog().view("segments").orElseThrow();

  static final List<Event> EVENTS = List.of(reading("k1", 100, 1.0), reading("k2", 150, 2.0), reset("k1", 120),
      reading("k1", 130, 3.0), reading("k2", 90, 4.0), reading("k1", 110, 5.0));

  static Event reading(String key, long time, double x) {
    return new Event(key + "@" + time, time, Map.of("k", key), Map.of("x", x));
  }

  static Event reset(String key, long time) {
    return new Event(key + "@" + time + "/reset", time, Map.of("k", key, "type", "reset"), Map.of());
  }

  static KafkaSlice slice(long batch, int partition) {
    return new KafkaSlice(batch, List.of(new TopicRange("t", partition, 0, 9)), "broker:9092");
  }

  /** The slice's records: the events, an event of another topic, a record that is no event and a tombstone. */
  static List<ConsumerRecord<ByteBuffer, ByteBuffer>> records() {
    List<ConsumerRecord<ByteBuffer, ByteBuffer>> out = new ArrayList<>();
    EVENTS.forEach(e -> out.add(record("t", ByteBuffer.wrap(EventJson.toBytes(e)))));
    out.add(2, record("other", ByteBuffer.wrap(EventJson.toBytes(reading("k1", 125, 99.0)))));
    out.add(4, record("t", ByteBuffer.wrap("{not json".getBytes(StandardCharsets.UTF_8))));
    out.add(5, record("t", null)); // a tombstone
    return out;
  }

  /** The events a task keeping them keeps for the key, in the walk's order. */
  static List<LandmarkEvents.Marked> kept(String key) {
    LandmarkEvents.Builder builder = new LandmarkEvents.Builder(SEGMENTS);
    EVENTS.stream().filter(e -> e.attributes().get("k").equals(key)).forEach(builder::add);
    return builder.events().sorted();
  }

  @Test
  void readsASliceOnceForAllItsKeysAndGivesEachTheEventsATaskKeepingThemKeeps() {
    SliceRefold.Reads reads = new SliceRefold.Reads();
    SliceRefold refold = new SliceRefold(FOLD, slice -> records().iterator(), reads);

    Found first = refold.events(new ViewKey("segments", "k1"), slice(1_000, 0));
    Found second = refold.events(new ViewKey("segments", "k2"), slice(1_000, 0));
    LandmarkEvents k1 = first.events();
    LandmarkEvents k2 = second.events();

    assertThat(k1.sorted()).isEqualTo(kept("k1")).hasSize(4);
    assertThat(k2.sorted()).isEqualTo(kept("k2")).hasSize(2);
    assertThat(k1.unkept()).isEmpty();
    assertThat(refold.events(new ViewKey("segments", "k9"), slice(1_000, 0)).events()).as("no events of the key").isNull();
    assertThat(refold.events(new ViewKey("by_k", "k1"), slice(1_000, 0)).events()).as("not a landmark view").isNull();
    assertThat(reads.reads()).isEqualTo(1);
    assertThat(first.recordsRead()).as("the slice's records, the unparseable one and the other topic's too").isEqualTo(records().size()).isEqualTo(9);
    assertThat(second.recordsRead()).as("the first call's read").isZero();
  }

  @Test
  void holdsTheSlicesOfTheBatchBeingProcessedOnly() {
    SliceRefold.Reads reads = new SliceRefold.Reads();
    SliceRefold refold = new SliceRefold(FOLD, slice -> records().iterator(), reads);
    ViewKey k1 = new ViewKey("segments", "k1");

    refold.events(k1, slice(1_000, 0));
    refold.events(k1, slice(1_000, 1));
    refold.events(k1, slice(1_000, 0));
    assertThat(reads.reads()).as("two slices of one batch").isEqualTo(2);
    refold.events(k1, slice(2_000, 0));
    refold.events(k1, slice(1_000, 1));
    assertThat(reads.reads()).as("the next batch dropped the first one's").isEqualTo(4);
  }

  @Test
  void aFailedReadFailsWithItsSliceAndIsReadAfreshNextTime() {
    SliceRefold.Reads reads = new SliceRefold.Reads();
    AtomicInteger attempts = new AtomicInteger();
    SliceRefold refold = new SliceRefold(FOLD, slice -> {
      if (attempts.incrementAndGet() == 1) {
        throw new IllegalStateException("reading t-0 offsets 0..9 did not finish within PT2M (at 4)");
      }
      return records().iterator();
    }, reads);
    ViewKey k1 = new ViewKey("segments", "k1");

    assertThatThrownBy(() -> refold.events(k1, slice(1_000, 0))).isInstanceOf(IllegalStateException.class)
        .hasMessage("reading segments/k1's landmark events again from t-0[0..9) at broker:9092 failed: "
            + "java.lang.IllegalStateException: reading t-0 offsets 0..9 did not finish within PT2M (at 4)");
    assertThat(refold.events(k1, slice(1_000, 0)).events().sorted()).isEqualTo(kept("k1"));
    assertThat(reads.reads()).isEqualTo(2);
  }

  /**
   * Two tasks of one batch want keys of the same slice at once: the second waits for the first's read (a thread blocked in
   * it, checked before the read may finish) and takes its keys from it; the slice is read once.
   */
  @Test
  void aTaskWantingASliceWhileAnotherReadsItWaitsForThatRead() throws Exception {
    SliceRefold.Reads reads = new SliceRefold.Reads();
    BlockedReader reader = new BlockedReader(null);
    SliceRefold refold = new SliceRefold(FOLD, reader, reads);

    CompletableFuture<Found> first = reader.callInThread(() -> refold.events(new ViewKey("segments", "k1"), slice(1_000, 0)));
    assertThat(reader.reading.await(10, TimeUnit.SECONDS)).as("the first task reads").isTrue();
    AtomicReference<Thread> waiting = new AtomicReference<>();
    CompletableFuture<Found> second = reader.callInThread(() -> refold.events(new ViewKey("segments", "k2"), slice(1_000, 0)), waiting);
    awaitWaitingForARead(waiting);
    reader.release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS).events().sorted()).isEqualTo(kept("k1"));
    assertThat(second.get(10, TimeUnit.SECONDS).events().sorted()).isEqualTo(kept("k2"));
    assertThat(first.get().recordsRead() + second.get().recordsRead()).as("records read again, counted once").isEqualTo(9);
    assertThat(reader.calls.get()).as("records read").isEqualTo(1);
    assertThat(reads.reads()).isEqualTo(1);
  }

  /** The read fails while a second task waits for it: both fail with the read's error, and the next call reads afresh. */
  @Test
  void aFailedReadFailsTheTaskWaitingForItTooAndIsReadAfreshNextTime() throws Exception {
    SliceRefold.Reads reads = new SliceRefold.Reads();
    BlockedReader reader = new BlockedReader(new IllegalStateException("broker gone"));
    SliceRefold refold = new SliceRefold(FOLD, reader, reads);
    ViewKey k1 = new ViewKey("segments", "k1");

    CompletableFuture<Found> first = reader.callInThread(() -> refold.events(k1, slice(1_000, 0)));
    assertThat(reader.reading.await(10, TimeUnit.SECONDS)).isTrue();
    AtomicReference<Thread> waiting = new AtomicReference<>();
    CompletableFuture<Found> second = reader.callInThread(() -> refold.events(new ViewKey("segments", "k2"), slice(1_000, 0)), waiting);
    awaitWaitingForARead(waiting);
    reader.release.countDown();

    for (CompletableFuture<Found> task : List.of(first, second)) {
      assertThatThrownBy(() -> task.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
          .hasMessageContaining("landmark events again from t-0[0..9) at broker:9092 failed: java.lang.IllegalStateException: broker gone");
    }
    assertThat(refold.events(k1, slice(1_000, 0)).events().sorted()).isEqualTo(kept("k1"));
    assertThat(reader.calls.get()).isEqualTo(2);
    assertThat(reads.reads()).isEqualTo(2);
  }

  /** Until the thread is parked in {@code FutureTask.get}: waiting for the read another thread runs. */
  private static void awaitWaitingForARead(AtomicReference<Thread> thread) {
    Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
      Thread t = thread.get();
      return t != null && t.getState() == Thread.State.WAITING && java.util.Arrays.stream(t.getStackTrace())
          .anyMatch(f -> f.getClassName().equals("java.util.concurrent.FutureTask") && f.getMethodName().equals("get"));
    });
  }

  /** Records in memory, given only once {@link #release} opens; the first call fails with {@code failure} if one is given. */
  private static final class BlockedReader implements SliceRefold.Reader {
    final CountDownLatch reading = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();
    private final transient RuntimeException failure;

    BlockedReader(RuntimeException failure) {
      this.failure = failure;
    }

    @Override
    public java.util.Iterator<ConsumerRecord<ByteBuffer, ByteBuffer>> records(KafkaSlice slice) {
      int call = calls.incrementAndGet();
      reading.countDown();
      try {
        if (!release.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (failure != null && call == 1) {
        throw failure;
      }
      return SliceRefoldTest.records().iterator();
    }

    CompletableFuture<Found> callInThread(java.util.concurrent.Callable<Found> task) {
      return callInThread(task, new AtomicReference<>());
    }

    /** Runs {@code task} in a thread of its own, named in {@code thread}, as a Spark task runs in its own. */
    CompletableFuture<Found> callInThread(java.util.concurrent.Callable<Found> task, AtomicReference<Thread> thread) {
      CompletableFuture<Found> out = new CompletableFuture<>();
      Thread t = new Thread(() -> {
        try {
          out.complete(task.call());
        } catch (Throwable e) {
          out.completeExceptionally(e);
        }
      }, "task");
      thread.set(t);
      t.setDaemon(true);
      t.start();
      return out;
    }
  }
}
