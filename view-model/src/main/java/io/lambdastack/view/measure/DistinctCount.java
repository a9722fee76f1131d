package io.lambdastack.view.measure;

import io.lambdastack.view.definition.MeasureSpec;
import io.lambdastack.view.event.Event;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * distinct(field): approximate distinct count with an Apache DataSketches HLL (lgK 12: about 1.6% relative
 * standard error). The state is always a {@link Union}, and the answer is the composite estimate, which
 * depends only on the registers: a sketch built from one stream and one merged from split streams give
 * the same number (the HIP estimate would not).
 */
final class DistinctCount implements Measure<DistinctCount.State> {
  static final int LG_K = 12;

  static final class State implements Serializable {
    /** How many of the values last added are remembered, by reference. */
    static final int RECENT = 16;
    transient Union union = new Union(LG_K);
    /**
     * Values already in the sketch, by reference: the last {@link #RECENT} added, in a ring (so a bucket cycling through
     * more values than that gains nothing, and loses nothing either). Why: adding a value again changes no register
     * (and so no byte of the sketch), but hashing it costs more than the rest of a bucket's measures; a bucket sees
     * the same few values over and over, and the parser hands out one String per recurring value.
     */
    private transient Object[] recent;
    private transient int next;

    void add(String v) {
      if (recent == null) {
        recent = new Object[RECENT];
      }
      for (Object r : recent) {
        if (r == v) {
          return;
        }
      }
      union.update(v);
      recent[next] = v;
      next = (next + 1) % RECENT;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
      SketchBytes.write(out, union.toCompactByteArray());
    }

    private void readObject(ObjectInputStream in) throws IOException {
      union = Union.heapify(SketchBytes.read(in));
    }

    /** The registers as a compact HLL_8 sketch: what "identical sketches" compares. */
    HllSketch sketch() {
      return union.getResult(TgtHllType.HLL_8);
    }
  }

  private final MeasureSpec spec;

  DistinctCount(MeasureSpec spec) {
    this.spec = spec;
  }

  @Override public MeasureSpec spec() { return spec; }

  @Override public State zero() { return new State(); }

  @Override public State add(State s, Event e) {
    String v = e.text(spec.field());
    if (v != null) {
      s.add(v);
    }
    return s;
  }

  @Override public State merge(State a, State b) {
    if (!b.union.isEmpty()) {
      a.union.update(b.sketch());
    }
    return a;
  }

  @Override public State copy(State s) {
    State c = new State();
    c.union = Union.heapify(s.union.toCompactByteArray());
    return c;
  }

  @Override public Object result(State s) {
    return Math.round(s.union.getCompositeEstimate());
  }

  @Override public void write(State s, DataOutput out) throws IOException {
    SketchBytes.write(out, s.union.toCompactByteArray());
  }

  @Override public State read(DataInput in) throws IOException {
    State s = new State();
    s.union = Union.heapify(SketchBytes.read(in));
    return s;
  }
}
