package io.lambdastack.view.measure;

import io.lambdastack.view.definition.MeasureSpec;
import io.lambdastack.view.event.Event;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;

/** Number of events in the bucket. */
final class Count implements Measure<Count.State> {
  static final class State implements Serializable {
    long n;
  }

  private final MeasureSpec spec;

  Count(MeasureSpec spec) {
    this.spec = spec;
  }

  @Override public MeasureSpec spec() { return spec; }

  @Override public State zero() { return new State(); }

  @Override public State add(State s, Event e) {
    s.n++;
    return s;
  }

  @Override public State merge(State a, State b) {
    a.n += b.n;
    return a;
  }

  @Override public State copy(State s) {
    State c = new State();
    c.n = s.n;
    return c;
  }

  @Override public Object result(State s) { return s.n; }

  @Override public void write(State s, DataOutput out) throws IOException { out.writeLong(s.n); }

  @Override public State read(DataInput in) throws IOException {
    State s = new State();
    s.n = in.readLong();
    return s;
  }
}
