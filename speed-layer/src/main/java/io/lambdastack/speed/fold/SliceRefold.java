package io.lambdastack.speed.fold;

import io.lambdastack.speed.input.EventParsing;
import io.lambdastack.speed.input.KafkaSlice;
import io.lambdastack.speed.landmark.LandmarkEvents;
import io.lambdastack.speed.landmark.LandmarkStateFunction;
import io.lambdastack.speed.state.ViewKey;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.definition.ViewKind;
import io.lambdastack.view.kafka.CommittedRangeReader;
import java.io.Serializable;
import java.lang.ref.SoftReference;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Reads a task's Kafka slice again and folds it as the batch's first read did ({@link PartitionFold}, the landmark
 * views only), this time keeping every landmark key's events: for the rare batch whose runs cannot be used. A slice is
 * read once for all of its keys: the slices read for the batch being processed are held in this JVM ({@link Reads}),
 * so the state's tasks of a batch that needs many keys' events read each slice once per executor.
 */
public final class SliceRefold implements LandmarkStateFunction.ReadAgain {
  private static final Logger log = LoggerFactory.getLogger(SliceRefold.class);
  /** The executor's reads: the function is deserialized once per task, and the tasks of a batch share what is read. */
  private static final Reads JVM_READS = new Reads();

  /** How a slice's committed records are read: {@link CommittedRangeReader#records} in the job, records in memory in tests. */
  interface Reader extends Serializable {
    Iterator<ConsumerRecord<ByteBuffer, ByteBuffer>> records(KafkaSlice slice);
  }

  private final ViewFold fold;
  private final Reader reader;
  private final transient Reads testReads;

  public SliceRefold(ViewFold fold) {
    this(fold, slice -> CommittedRangeReader.records(slice.ranges(), slice.bootstrapServers()), null);
  }

  /** @param reads where reads are held; null: the JVM's */
  SliceRefold(ViewFold fold, Reader reader, Reads reads) {
    this.fold = fold;
    this.reader = reader;
    this.testReads = reads;
  }

  @Override
  public LandmarkStateFunction.Found events(ViewKey key, KafkaSlice slice) {
    Reads reads = testReads != null ? testReads : JVM_READS;
    List<ViewDefinition> landmarks = fold.catalog().ofKind(ViewKind.LANDMARK); // what the events depend on
    FutureTask<Read> mine = new FutureTask<>(() -> read(slice));
    FutureTask<Read> read = reads.heldOrHold(slice, landmarks, mine);
    if (read == mine) {
      read.run(); // in this task's thread; another task wanting the same slice waits for it
    }
    try {
      Read done = read.get();
      return new LandmarkStateFunction.Found(done.events().get(key), read == mine ? done.records() : 0);
    } catch (ExecutionException e) {
      reads.forget(slice, landmarks, read); // the task's next attempt reads it afresh
      throw new IllegalStateException("reading " + key.view() + "/" + key.key() + "'s landmark events again from " + slice + " failed: "
          + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + key.view() + "/" + key.key() + "'s landmark events again from "
          + slice, e);
    }
  }

  /** A slice read again: every landmark (view, key) of it, with its events kept, and how many records it has. */
  record Read(Map<ViewKey, LandmarkEvents> events, long records) {}

  /** Every landmark (view, key) of the slice, with its events kept. */
  private Read read(KafkaSlice slice) {
    long started = System.nanoTime();
    PartitionFold partition = PartitionFold.keepingLandmarkEvents(fold);
    CountedRecords records = new CountedRecords(reader.records(slice));
    long read = partition.addAll(EventParsing.parseAgain(records));
    Map<ViewKey, LandmarkEvents> out = new HashMap<>();
    for (Tuple2<ViewKey, KeyPartial> p : partition.partials()) {
      out.put(p._1(), ((KeyPartial.Landmark) p._2()).events());
    }
    log.info("landmark runs not usable: read {} again ({} records, {} events, {} landmark keys) in {} ms", slice, records.count,
        read, out.size(), (System.nanoTime() - started) / 1_000_000);
    return new Read(out, records.count);
  }

  /** The records as they are, counted: unparseable ones too, which {@link PartitionFold#addAll} never sees. */
  private static final class CountedRecords implements Iterator<ConsumerRecord<ByteBuffer, ByteBuffer>> {
    private final Iterator<ConsumerRecord<ByteBuffer, ByteBuffer>> records;
    long count;

    CountedRecords(Iterator<ConsumerRecord<ByteBuffer, ByteBuffer>> records) {
      this.records = records;
    }

    @Override
    public boolean hasNext() {
      return records.hasNext();
    }

    @Override
    public ConsumerRecord<ByteBuffer, ByteBuffer> next() {
      ConsumerRecord<ByteBuffer, ByteBuffer> r = records.next();
      count++;
      return r;
    }
  }

  /**
   * The slices read again for the batch being processed, by slice and landmark views. Batches are processed one at a
   * time (the job requires {@code spark.streaming.concurrentJobs} 1), so a slice of another batch drops them all: what is
   * held is at most one batch's landmark events (18 bytes a reading, about 50 MB for a batch of 3 million), and softly,
   * so the collector frees it before running short of memory (a slice then is read once more).
   */
  static final class Reads {
    private long batchTime = Long.MIN_VALUE;
    private final Map<List<Object>, SoftReference<FutureTask<Read>>> held = new HashMap<>();
    /** Slices read so far: for tests. */
    private long reads;

    /** The read held for the slice, or {@code read}, now held for it (the caller runs it). */
    synchronized FutureTask<Read> heldOrHold(KafkaSlice slice, List<ViewDefinition> views,
        FutureTask<Read> read) {
      if (slice.batchTime() != batchTime) {
        held.clear();
        batchTime = slice.batchTime();
      }
      List<Object> key = List.of(slice, views);
      SoftReference<FutureTask<Read>> ref = held.get(key);
      FutureTask<Read> done = ref == null ? null : ref.get();
      if (done != null) {
        return done;
      }
      held.put(key, new SoftReference<>(read));
      reads++;
      return read;
    }

    synchronized void forget(KafkaSlice slice, List<ViewDefinition> views, FutureTask<Read> read) {
      List<Object> key = List.of(slice, views);
      SoftReference<FutureTask<Read>> ref = held.get(key);
      if (ref != null && ref.get() == read) {
        held.remove(key);
      }
    }

    synchronized long reads() {
      return reads;
    }
  }
}
