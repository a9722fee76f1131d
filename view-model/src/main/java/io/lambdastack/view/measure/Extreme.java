package io.lambdastack.view.measure;

import io.lambdastack.view.definition.MeasureKind;
import io.lambdastack.view.definition.MeasureSpec;
import io.lambdastack.view.event.Event;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;

/** min(field) or max(field); null for a bucket where no event had the field. */
final class Extreme implements Measure<Extreme.State> {
  static final class State implements Serializable {
    boolean present;
    double value;
  }

  private final MeasureSpec spec;
  private final boolean max;

  Extreme(MeasureSpec spec) {
    this.spec = spec;
    this.max = spec.kind() == MeasureKind.MAX;
  }

  @Override public MeasureSpec spec() { return spec; }

  @Override public State zero() { return new State(); }

  @Override public State add(State s, Event e) {
    return addNumber(s, e.number(spec.field()));
  }

  @Override public String numberField() { return spec.field(); }

  @Override public State addNumber(State s, Double v) {
    if (v != null && Double.isFinite(v)) {
      offer(s, v);
    }
    return s;
  }

  private void offer(State s, double v) {
    if (!s.present || (max ? Double.compare(v, s.value) > 0 : Double.compare(v, s.value) < 0)) {
      s.value = v;
      s.present = true;
    }
  }

  @Override public State merge(State a, State b) {
    if (b.present) {
      offer(a, b.value);
    }
    return a;
  }

  @Override public State copy(State s) {
    State c = new State();
    c.present = s.present;
    c.value = s.value;
    return c;
  }

  @Override public Object result(State s) { return s.present ? s.value : null; }

  @Override public void write(State s, DataOutput out) throws IOException {
    out.writeBoolean(s.present);
    out.writeDouble(s.value);
  }

  @Override public State read(DataInput in) throws IOException {
    State s = new State();
    s.present = in.readBoolean();
    s.value = in.readDouble();
    return s;
  }
}
