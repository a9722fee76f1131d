package io.lambdastack.view.measure;

import io.lambdastack.view.definition.MeasureSpec;
import io.lambdastack.view.event.Event;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * quantiles(field): p50, p90, p99 from an Apache DataSketches KLL sketch (k 200: normalized rank error
 * about 1.65%). Up to k values the sketch keeps every value and its quantiles are exact; beyond that KLL
 * compacts with random coin flips, so two sketches of the same values are equal only within that error.
 */
final class Quantiles implements Measure<Quantiles.State> {
  static final int K = 200;
  static final double[] RANKS = {0.5, 0.9, 0.99};

  static final class State implements Serializable {
    transient KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(K);

    private void writeObject(ObjectOutputStream out) throws IOException {
      SketchBytes.write(out, sketch.toByteArray());
    }

    private void readObject(ObjectInputStream in) throws IOException {
      sketch = KllDoublesSketch.heapify(Memory.wrap(SketchBytes.read(in)));
    }
  }

  private final MeasureSpec spec;

  Quantiles(MeasureSpec spec) {
    this.spec = spec;
  }

  @Override public MeasureSpec spec() { return spec; }

  @Override public State zero() { return new State(); }

  @Override public State add(State s, Event e) {
    return addNumber(s, e.number(spec.field()));
  }

  @Override public String numberField() { return spec.field(); }

  @Override public State addNumber(State s, Double v) {
    if (v != null && Double.isFinite(v)) {
      s.sketch.update(v);
    }
    return s;
  }

  @Override public State merge(State a, State b) {
    if (!b.sketch.isEmpty()) {
      a.sketch.merge(b.sketch);
    }
    return a;
  }

  @Override public State copy(State s) {
    State c = new State();
    c.sketch = KllDoublesSketch.heapify(Memory.wrap(s.sketch.toByteArray()));
    return c;
  }

  @Override public Object result(State s) {
    if (s.sketch.isEmpty()) {
      return null;
    }
    double[] q = s.sketch.getQuantiles(RANKS);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("p50", q[0]);
    out.put("p90", q[1]);
    out.put("p99", q[2]);
    out.put("n", s.sketch.getN());
    return out;
  }

  @Override public void write(State s, DataOutput out) throws IOException {
    SketchBytes.write(out, s.sketch.toByteArray());
  }

  @Override public State read(DataInput in) throws IOException {
    State s = new State();
    s.sketch = KllDoublesSketch.heapify(Memory.wrap(SketchBytes.read(in)));
    return s;
  }
}
