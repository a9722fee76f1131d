package io.lambdastack.speed.fold;

import io.lambdastack.speed.input.EventParsing;
import io.lambdastack.speed.input.KafkaSlice;
import io.lambdastack.speed.landmark.LandmarkEvents;
import io.lambdastack.speed.landmark.LandmarkStateFunction;
import io.lambdastack.speed.state.ViewKey;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.kafka.CommittedRangeReader;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Reads a task's Kafka slice again and folds it as the batch's first read did ({@link PartitionFold}, the landmark
 * views only), this time keeping every landmark key's events: for the rare batch whose runs cannot be used. The whole
 * slice is read once for all of its keys, and the last few slices are kept in this JVM, so a batch with many such
 * keys reads each slice once (the state's tasks of one batch share the executor).
 */
public final class SliceRefold implements LandmarkStateFunction.ReadAgain {
  private static final Logger log = LoggerFactory.getLogger(SliceRefold.class);
  /** Slices kept: two a core of this machine (one batch's); each holds 18 bytes a landmark event of its records. */
  static final int SLICES_KEPT = 4;
  private static final Map<KafkaSlice, FutureTask<Map<ViewKey, LandmarkEvents>>> RECENT = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<KafkaSlice, FutureTask<Map<ViewKey, LandmarkEvents>>> eldest) {
      return size() > SLICES_KEPT;
    }
  };
  private final ViewFold fold;

  public SliceRefold(ViewFold fold) {
    this.fold = fold;
  }

  @Override
  public LandmarkEvents events(ViewKey key, KafkaSlice slice) {
    FutureTask<Map<ViewKey, LandmarkEvents>> read;
    boolean first;
    synchronized (RECENT) {
      read = RECENT.get(slice);
      first = read == null;
      if (first) {
        read = new FutureTask<>(() -> read(slice));
        RECENT.put(slice, read);
      }
    }
    if (first) {
      read.run(); // in this task's thread; another task wanting the same slice waits for it
    }
    try {
      return read.get().get(key);
    } catch (ExecutionException e) {
      forget(slice, read); // the next attempt reads it afresh
      throw new IllegalStateException("reading " + key + "'s landmark events again from " + slice + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + key + "'s landmark events again from " + slice, e);
    }
  }

  private static void forget(KafkaSlice slice, FutureTask<Map<ViewKey, LandmarkEvents>> read) {
    synchronized (RECENT) {
      RECENT.remove(slice, read);
    }
  }

  /** Every landmark (view, key) of the slice, with its events kept. */
  Map<ViewKey, LandmarkEvents> read(KafkaSlice slice) {
    long started = System.nanoTime();
    PartitionFold partition = PartitionFold.keepingLandmarkEvents(fold);
    Iterator<Tuple2<String, Event>> events = EventParsing.parseAgain(CommittedRangeReader.records(slice.ranges(), slice.bootstrapServers()));
    long read = 0;
    while (events.hasNext()) {
      Tuple2<String, Event> e = events.next();
      partition.add(e._1(), e._2());
      read++;
    }
    Map<ViewKey, LandmarkEvents> out = new HashMap<>();
    for (Tuple2<ViewKey, KeyPartial> p : partition.partials()) {
      out.put(p._1(), ((KeyPartial.Landmark) p._2()).events());
    }
    log.info("landmark runs not usable: read {} again ({} events, {} landmark keys) in {} ms", slice, read, out.size(),
        (System.nanoTime() - started) / 1_000_000);
    return out;
  }
}
