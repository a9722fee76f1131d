package io.lambdastack.speed.landmark;

import io.lambdastack.speed.input.KafkaSlice;
import io.lambdastack.view.aggregate.Aggregate;
import io.lambdastack.view.aggregate.Rollup;
import io.lambdastack.view.aggregate.ViewAggregator;
import io.lambdastack.view.definition.MeasureSpec;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.FieldMaps;
import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The events one micro-batch brings to one landmark (view, key), or where to read them again. Kept events are in the
 * compact form that crosses the shuffle and waits in Spark's cache: each event reduced to its time, whether it is a reset marker (decided
 * before the reduction drops the marker's field) and the fields the view's measures read (by their index),
 * encoded in chunks of bytes: 18 bytes for a reading with one measured field. Java-serializing whole events cost
 * more than the rest of the batch, and Spark sizes cached objects by walking them, which is free for a byte array.
 *
 * <p>A segment is bounded by resets in event time, and the open segment's start (in the state) and the other tasks'
 * resets are unknown where the events are read, so the events alone are not pre-aggregated the way buckets are. When
 * the view's measures merge exactly, each part also brings its readings aggregated in {@link Run}s between its own
 * resets: for events sent in time order no start or reset falls inside a run, and the state then folds a few runs
 * instead of decoding every event ({@code LandmarkStateFunction#fromRuns}); otherwise it walks the events.
 *
 * <p>A part read from Kafka with runs keeps no events: it names the task's {@link KafkaSlice}, and in the rare batch
 * whose runs cannot be used the state reads that slice again ({@link LandmarkStateFunction.ReadAgain}). Why: encoding
 * every event and shipping it through the shuffle, for batches that almost never need them, cost 11-21 % of the
 * read-and-fold stage's CPU with the default views (one fixed-rate step at 2,304,000 records/s, two runs each: 912
 * and 919 ms a batch without the events, 1,149 and 1,037 with them).
 */
public final class LandmarkEvents implements Serializable {
  private static final byte ABSENT = 0;
  private static final byte NUMBER = 1;
  private static final byte TEXT = 2;
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final Map<String, String> NO_FIELDS = Map.of();
  private static final Map<String, Double> NO_NUMBERS = Map.of();
  /** The fields the view's measures read, in a fixed order: an event names them by position. */
  private final String[] fields;
  private final List<byte[]> chunks = new ArrayList<>(1);
  /** Every event of the parts, kept or not. */
  private long size;
  /** The slices whose parts kept no events; with {@link #kept}, all the events. */
  private final List<KafkaSlice> unkept = new ArrayList<>(1);
  /** How many of the events are in the chunks. */
  private long kept;
  /** The readings already aggregated in runs ({@link Run}); null when there are none (then only the events say it). */
  private List<Run> runs;
  /** With runs: the time of every reset among the events, in no order. */
  private long[] resetTimes;

  /**
   * One task's readings of the key from one of its resets to its next (in event time, the first run from before its
   * first reset, the last to after its last), aggregated, with the earliest and latest of their times. Runs from all
   * tasks give the state its segments without decoding an event, unless the start of the open segment or another
   * task's reset falls inside one of them (then that run's readings belong to two segments and the events are used).
   */
  public record Run(long min, long max, Aggregate aggregate) implements Serializable {}

  private LandmarkEvents(String[] fields) {
    this.fields = fields;
  }

  /**
   * The field names interned again after the shuffle: Java serialization makes new Strings of them, and the events
   * decoded with them are folded by aggregators that look their fields up by the interned names first ({@code FieldMap}).
   */
  private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
    in.defaultReadObject();
    for (int f = 0; f < fields.length; f++) {
      fields[f] = fields[f].intern();
    }
  }

  /** An event and whether it is a reset marker. */
  public record Marked(Event event, boolean reset) {}

  /**
   * Order of a batch: event time, a reset before the readings of the same instant. Readings of the same instant
   * stay in any order: the measures are order-free (a sort is stable, and ids are not kept).
   */
  public static final Comparator<Marked> ORDER = Comparator.comparingLong((Marked m) -> m.event().eventTime())
      .thenComparing(m -> m.reset() ? 0 : 1);

  public long size() {
    return size;
  }

  /** Appends the other's events (or the slices to read them from), and its runs when both have them (this one is modified). */
  public LandmarkEvents merge(LandmarkEvents other) {
    chunks.addAll(other.chunks);
    size += other.size;
    kept += other.kept;
    unkept.addAll(other.unkept);
    if (runs != null && other.runs != null) {
      runs.addAll(other.runs);
      long[] both = Arrays.copyOf(resetTimes, resetTimes.length + other.resetTimes.length);
      System.arraycopy(other.resetTimes, 0, both, resetTimes.length, other.resetTimes.length);
      resetTimes = both;
    } else {
      runs = null;
      resetTimes = null;
    }
    return this;
  }

  /**
   * The one rule of which segment a time falls in, for the runs a task builds and the segments the state folds: how many
   * of the first {@code count} resets (sorted) are at or before {@code time}. A reset opens its own instant: a reading
   * of the same time belongs to the segment after it.
   */
  static int segmentOf(long[] resets, int count, long time) {
    int low = 0;
    int high = count;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (resets[mid] <= time) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** The size of each chunk of bytes, in order: for tests. */
  List<Integer> chunkSizes() {
    return chunks.stream().map(c -> c.length).toList();
  }

  /** True when every part of the batch came with its readings in runs. */
  public boolean hasRuns() {
    return runs != null;
  }

  /** The runs of every part of the batch; empty without them ({@link #hasRuns}). */
  public List<Run> runs() {
    return runs == null ? List.of() : java.util.Collections.unmodifiableList(runs);
  }

  /** With runs, the times of the batch's resets (a copy, in no order); empty without them. */
  public long[] resetTimes() {
    return resetTimes == null ? new long[0] : resetTimes.clone();
  }

  /** The slices to read again for the events this batch did not keep; empty when it kept them all. */
  public List<KafkaSlice> unkept() {
    return java.util.Collections.unmodifiableList(unkept);
  }

  /**
   * A batch of every event: this one's kept events and those read again from its {@link #unkept} slices (one
   * {@code LandmarkEvents} per slice, of the same view and key, kept), without runs. This one is left as it is.
   *
   * @throws IllegalStateException when the events read again are not as many as the slices held when first read (the
   *     records changed in between, e.g. compacted; records deleted by retention fail the read itself), rather than walk
   *     a batch with events missing
   */
  public LandmarkEvents withEventsReadAgain(List<LandmarkEvents> readAgain) {
    LandmarkEvents all = new LandmarkEvents(fields);
    all.chunks.addAll(chunks);
    all.kept = kept;
    for (LandmarkEvents part : readAgain) {
      if (!part.unkept.isEmpty() || !Arrays.equals(part.fields, fields)) {
        throw new IllegalArgumentException("not the kept events of this view: " + part.unkept + " " + Arrays.toString(part.fields));
      }
      all.chunks.addAll(part.chunks);
      all.kept += part.kept;
    }
    if (all.kept != size) {
      throw new IllegalStateException("landmark events read again from " + slices() + ": " + (all.kept - kept) + " where the batch read "
          + (size - kept) + " (did the records change since, e.g. compacted?)");
    }
    all.size = size;
    return all;
  }

  private String slices() {
    return unkept.stream().map(KafkaSlice::toString).collect(java.util.stream.Collectors.joining("; "));
  }

  /** Every event, decoded, in {@link #ORDER}. */
  public List<Marked> sorted() {
    Decoded d = decoded();
    List<Marked> out = new ArrayList<>(d.size());
    for (int i = 0; i < d.size(); i++) {
      out.add(new Marked(d.event(i), d.reset(i)));
    }
    out.sort(ORDER);
    return out;
  }

  /** Every event in the order added: times and reset flags at once, the rest decoded on demand. */
  public Decoded decoded() {
    if (!unkept.isEmpty()) {
      throw new IllegalStateException("landmark events not kept: read them again from " + slices() + " first (withEventsReadAgain)");
    }
    int n = Math.toIntExact(size);
    long[] times = new long[n];
    boolean[] resets = new boolean[n];
    byte[][] chunkOf = new byte[n][];
    int[] offsetOf = new int[n];
    int i = 0;
    for (byte[] chunk : chunks) {
      int at = 0;
      while (at < chunk.length) {
        times[i] = (long) LONGS.get(chunk, at);
        resets[i] = chunk[at + Long.BYTES] != 0;
        chunkOf[i] = chunk;
        offsetOf[i] = at + Long.BYTES + 1;
        at = skipFields(chunk, offsetOf[i]);
        i++;
      }
    }
    if (i != n) {
      throw new IllegalStateException("landmark events: " + i + " decoded, " + n + " expected");
    }
    return new Decoded(times, resets, chunkOf, offsetOf);
  }

  private int skipFields(byte[] chunk, int at) {
    for (int f = 0; f < fields.length; f++) {
      byte kind = chunk[at++];
      if (kind == NUMBER) {
        at += Double.BYTES;
      } else if (kind == TEXT) {
        at += Integer.BYTES + (int) INTS.get(chunk, at);
      }
    }
    return at;
  }

  /** The decoded events of a batch: each one's time and reset flag, and its measured fields as an {@link Event}. */
  public final class Decoded {
    private final long[] times;
    private final boolean[] resets;
    private final byte[][] chunkOf;
    private final int[] offsetOf;

    private Decoded(long[] times, boolean[] resets, byte[][] chunkOf, int[] offsetOf) {
      this.times = times;
      this.resets = resets;
      this.chunkOf = chunkOf;
      this.offsetOf = offsetOf;
    }

    public int size() {
      return times.length;
    }

    public long time(int i) {
      return times[i];
    }

    public boolean reset(int i) {
      return resets[i];
    }

    /**
     * Event {@code i} with the fields the view's measures read (its id is not kept: {@link Event#NO_ID}). Every event of a landmark
     * view is decoded once per batch, so its maps keep the arrays made here; while the event's numbers are the first
     * fields in order (the usual case: every measured field a number), they share the view's array of names.
     */
    public Event event(int i) {
      byte[] chunk = chunkOf[i];
      int at = offsetOf[i];
      String[] textNames = null;
      Object[] texts = null;
      String[] numberNames = fields;
      Object[] numbers = null;
      int t = 0;
      int v = 0;
      for (int f = 0; f < fields.length; f++) {
        byte kind = chunk[at++];
        if (kind == NUMBER) {
          if (numbers == null) {
            numbers = new Object[fields.length];
          }
          if (numberNames == fields && v != f) {
            numberNames = Arrays.copyOf(fields, fields.length); // out of step with the view's names: a copy of its own
          }
          if (numberNames != fields) { // the view's own array is never written
            numberNames[v] = fields[f];
          }
          numbers[v++] = Double.longBitsToDouble((long) LONGS.get(chunk, at));
          at += Double.BYTES;
        } else if (kind == TEXT) {
          int length = (int) INTS.get(chunk, at);
          at += Integer.BYTES;
          if (texts == null) {
            textNames = new String[fields.length];
            texts = new Object[fields.length];
          }
          textNames[t] = fields[f];
          texts[t++] = new String(chunk, at, length, StandardCharsets.UTF_8);
          at += length;
        }
      }
      // Names distinct: the view's fields are a set.
      return new Event(Event.NO_ID, times[i], texts == null ? NO_FIELDS : FieldMaps.ofDistinct(textNames, texts, t),
          numbers == null ? NO_NUMBERS : FieldMaps.ofDistinct(numberNames, numbers, v));
    }
  }

  /**
   * Collects one partition's events of one key in chunks of at most {@link #CHUNK} bytes; {@link #events()} seals them. Given the view's
   * aggregator, and when its measures merge exactly ({@link Rollup#mergesExactly}), it also aggregates the readings in
   * runs between its resets ({@link Run}), unless one of its own resets comes after readings of both sides of it (then
   * it keeps the events only).
   */
  public static final class Builder {
    /**
     * The most a chunk holds, unless one event alone needs more. Why chunks: one array per key, grown by doubling, reached
     * megabytes near the knee (18 bytes a reading; a sensor sends 130,000 readings a batch at 2.6 million events a
     * second), and G1 places every array of half its region or more (its smallest region: 1 MB) straight in the old
     * generation: profiled, growing such arrays, their sealing copy and the shuffle's reading of them were 5.4 of the
     * 10.7 GB allocated so in a short run, and such allocations started a concurrent GC cycle about every second.
     */
    static final int CHUNK = 64 * 1024;
    private final ViewDefinition view;
    private final String[] fields;
    /** One event's measured fields while it is encoded: its numbers, or its texts' bytes (by field index). */
    private final Double[] numbers;
    private final byte[][] texts;
    /** Full chunks, each of whole events. */
    private final List<byte[]> sealed = new ArrayList<>();
    // Written by hand, big-endian as DataOutputStream writes: its stream's synchronized writes cost more than the
    // encoding itself, a handful per event.
    private byte[] bytes = new byte[256];
    private int length;
    private long size;
    /** Where the events can be read again, when this builder keeps none of them; null: it keeps them. */
    private KafkaSlice slice;
    /** Null: no runs (no aggregator, a measure that does not merge exactly, or a reset fell inside a run). */
    private ViewAggregator aggregator;
    /** This builder's resets, in time order, and the run between each two (index i: after i of them; null: none yet). */
    private long[] resets = new long[2];
    private int resetCount;
    private List<RunBuilder> intervals;
    /**
     * Non-null while the key's readings are not aggregated here: until the builder's first reset, the first run is the
     * key's readings so far, which a bucket view of the same key already aggregates; this gives them, rolled up.
     */
    private Supplier<Aggregate> readingsSoFar;
    /** While {@link #readingsSoFar} stands for the first run: the earliest and latest time of its readings. */
    private long deferredMin = Long.MAX_VALUE;
    private long deferredMax = Long.MIN_VALUE;

    public Builder(ViewDefinition view) {
      this(view, null);
    }

    /** @param aggregator the view's: readings are also aggregated in runs when its measures merge exactly; null: not */
    public Builder(ViewDefinition view, ViewAggregator aggregator) {
      this.view = view;
      Set<String> read = new LinkedHashSet<>();
      for (MeasureSpec m : view.measures()) {
        if (m.field() != null) {
          read.add(m.field());
        }
      }
      this.fields = read.toArray(String[]::new);
      this.numbers = new Double[fields.length];
      this.texts = new byte[fields.length][];
      if (aggregator != null && view.measures().stream().allMatch(m -> Rollup.mergesExactly(m.kind()))) {
        this.aggregator = aggregator;
        this.intervals = new ArrayList<>(2);
        this.intervals.add(null);
      }
    }

    /**
     * A builder that leaves its readings' aggregate to a bucket view of the same key until its first reset. Why: that view
     * folds the same readings into the same measures, and folding them again for the runs was about 30 ns of the 320 one
     * thread spent parsing and folding an event of the default views. The caller guarantees it:
     * {@code readingsSoFar} gives, at any time, the landmark aggregate of every event of the key added to this builder
     * before that moment (a {@link Rollup} of the bucket view's partials of the key, which must see each event after
     * this builder has: a reset marker is not a reading, and the first run must not count it).
     *
     * @param aggregator the view's, whose measures must merge exactly (the runs are made then only)
     */
    public Builder(ViewDefinition view, ViewAggregator aggregator, Supplier<Aggregate> readingsSoFar) {
      this(view, aggregator);
      if (this.aggregator != null) {
        this.readingsSoFar = Objects.requireNonNull(readingsSoFar, "readingsSoFar");
      }
    }

    /**
     * Keep no events when the readings go into runs: the batch that cannot use the runs reads them again from
     * {@code slice}, the slice whose events this builder is given. A builder without runs keeps its events (every batch
     * needs them). Call before the first event.
     *
     * @param slice the Kafka slice of the task's input; null: keep the events (an input that cannot be read again)
     */
    public Builder readAgainFrom(KafkaSlice slice) {
      if (size > 0) {
        throw new IllegalStateException("readAgainFrom after " + size + " events");
      }
      this.slice = aggregator == null ? null : slice;
      return this;
    }

    public void add(Event event) {
      boolean reset = view.reset().matches(event);
      if (slice == null) {
        encode(event, reset);
      } else {
        size++;
      }
      if (aggregator != null) {
        if (reset) {
          addReset(event.eventTime());
        } else {
          addReading(event);
        }
      }
    }

    /** The index of the run a reading at {@code time} belongs to: the segment rule, over this builder's resets. */
    private int runOf(long time) {
      return segmentOf(resets, resetCount, time);
    }

    private void addReading(Event event) {
      long time = event.eventTime();
      if (readingsSoFar != null) { // no reset yet: every reading is in the first run, aggregated elsewhere
        deferredMin = Math.min(deferredMin, time);
        deferredMax = Math.max(deferredMax, time);
        return;
      }
      int i = runOf(time);
      RunBuilder run = intervals.get(i);
      if (run == null) {
        run = new RunBuilder(aggregator.zero());
        intervals.set(i, run);
      }
      aggregator.add(run.aggregate, event);
      run.min = Math.min(run.min, time);
      run.max = Math.max(run.max, time);
    }

    /** Splits the run the reset falls into: its readings must all lie on one side (a reset opens its own instant). */
    private void addReset(long time) {
      takeOverFirstRun();
      int i = runOf(time);
      RunBuilder run = intervals.get(i);
      if (run != null && run.min < time && time <= run.max) {
        aggregator = null; // readings on both sides of it are already one aggregate: the events alone say it
        intervals = null;
        return;
      }
      if (resetCount == resets.length) {
        resets = Arrays.copyOf(resets, 2 * resetCount);
      }
      System.arraycopy(resets, i, resets, i + 1, resetCount - i);
      resets[i] = time;
      resetCount++;
      // The run keeps its place when it lies before the reset, and moves after it when it lies at or after it.
      intervals.add(run != null && run.min >= time ? i : i + 1, null);
    }

    private void encode(Event event, boolean reset) {
      int need = Long.BYTES + 1;
      for (int f = 0; f < fields.length; f++) { // first its size, so that the event goes whole into one chunk
        Double v = event.values().get(fields[f]);
        String a = v == null ? event.attributes().get(fields[f]) : null;
        numbers[f] = v;
        // Not writeUTF's form: it refuses strings over 64 KB, and an event's text field may be longer (a batch
        // must not fail on a valid event).
        texts[f] = a == null ? null : a.getBytes(StandardCharsets.UTF_8);
        need += 1 + (v != null ? Double.BYTES : a != null ? Integer.BYTES + texts[f].length : 0);
      }
      room(need);
      LONGS.set(bytes, length, event.eventTime());
      length += Long.BYTES;
      bytes[length++] = (byte) (reset ? 1 : 0);
      for (int f = 0; f < fields.length; f++) {
        if (numbers[f] != null) {
          bytes[length++] = NUMBER;
          LONGS.set(bytes, length, Double.doubleToLongBits(numbers[f]));
          length += Double.BYTES;
        } else if (texts[f] != null) {
          byte[] text = texts[f];
          bytes[length++] = TEXT;
          INTS.set(bytes, length, text.length);
          length += Integer.BYTES;
          System.arraycopy(text, 0, bytes, length, text.length);
          length += text.length;
          texts[f] = null;
        } else {
          bytes[length++] = ABSENT;
        }
      }
      size++;
    }

    /** Room for an event of {@code need} bytes: the chunk grows up to {@link #CHUNK}, then is sealed and a new one begun. */
    private void room(int need) {
      if (length + need <= bytes.length) {
        return;
      }
      if (length + need <= CHUNK) {
        bytes = Arrays.copyOf(bytes, Math.min(CHUNK, Math.max(2 * bytes.length, length + need)));
        return;
      }
      if (length > 0) {
        sealed.add(Arrays.copyOf(bytes, length));
      }
      bytes = new byte[Math.max(CHUNK, need)];
      length = 0;
    }

    /** From here on the runs are aggregated here: the first one starts from the readings so far, rolled up. */
    private void takeOverFirstRun() {
      if (readingsSoFar == null) {
        return;
      }
      if (deferredMin <= deferredMax) { // a reading came
        RunBuilder first = new RunBuilder(readingsSoFar.get());
        first.min = deferredMin;
        first.max = deferredMax;
        intervals.set(0, first); // no reset yet: the only run
      }
      readingsSoFar = null;
    }

    public LandmarkEvents events() {
      if (aggregator != null) {
        takeOverFirstRun();
      }
      LandmarkEvents e = new LandmarkEvents(fields);
      e.chunks.addAll(sealed);
      if (length > 0) {
        e.chunks.add(Arrays.copyOf(bytes, length));
      }
      e.size = size;
      if (slice == null) {
        e.kept = size;
      } else {
        e.unkept.add(slice);
      }
      if (aggregator != null) {
        e.runs = new ArrayList<>(intervals.size());
        for (RunBuilder r : intervals) {
          if (r != null) {
            e.runs.add(new Run(r.min, r.max, r.aggregate));
          }
        }
        e.resetTimes = Arrays.copyOf(resets, resetCount);
      }
      return e;
    }
  }

  private static final class RunBuilder {
    final Aggregate aggregate;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;

    RunBuilder(Aggregate aggregate) {
      this.aggregate = aggregate;
    }
  }
}
