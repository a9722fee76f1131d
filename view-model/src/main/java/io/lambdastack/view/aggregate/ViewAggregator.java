package io.lambdastack.view.aggregate;

import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.measure.Measure;
import io.lambdastack.view.measure.Measures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The monoid of one view's aggregates, built from its declared measures. {@link #add} and {@link #merge}
 * may modify their first argument (Spark {@code Aggregator} convention); {@link #copy} when that matters.
 */
public final class ViewAggregator implements Serializable {
  private static final byte FORMAT = 1;
  private final ViewDefinition view;
  private final List<Measure<Serializable>> measures;
  /**
   * Per measure, the field it reads as a number (interned, as the view file's fields are), or null. Interned on every
   * copy too: a copy is serialized as its view alone and built again ({@link #writeReplace}).
   */
  private final String[] numberFields;
  /** The measures as an array: the per-event loop ({@link #add}) reads them without a list's call and checks. */
  private final Measure<Serializable>[] byIndex;

  @SuppressWarnings("unchecked")
  public ViewAggregator(ViewDefinition view) {
    this.view = view;
    this.measures = view.measures().stream().map(m -> (Measure<Serializable>) Measures.of(m)).toList();
    this.numberFields = measures.stream().map(Measure::numberField).toArray(String[]::new);
    this.byIndex = measures.toArray(Measure[]::new);
  }

  public ViewDefinition view() {
    return view;
  }

  /**
   * Serialized as its view only, and built again from it where it is read (an executor's copy of a task's closure):
   * serialization makes new Strings of the fields' names, not interned ones, and an event's field lookup then misses
   * the identical reference it expects ({@code FieldMap}) and compares texts. Measured (one thread, the five default
   * views, a deserialized fold against the original): 6-12 ns more an event.
   */
  private Object writeReplace() {
    return new Copy(view);
  }

  private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("a ViewAggregator is read from its view only");
  }

  /** What a serialized ViewAggregator is: its view, whose record constructor interns the field names again. */
  private record Copy(ViewDefinition view) implements Serializable {
    private Object readResolve() {
      return new ViewAggregator(view);
    }
  }

  public Aggregate zero() {
    Serializable[] states = new Serializable[measures.size()];
    for (int i = 0; i < states.length; i++) {
      states[i] = measures.get(i).zero();
    }
    return new Aggregate(view.name(), states);
  }

  /**
   * Folds the event into every measure's state. A number field that several measures read (the mean, min, max and
   * quantiles of one field) is looked up once: looking fields up was a tenth of one thread's fold of the default
   * views, profiled.
   */
  public Aggregate add(Aggregate a, Event event) {
    a.events++;
    a.maxEventTime = Math.max(a.maxEventTime, event.eventTime());
    String read = null;
    Double value = null;
    Serializable[] states = a.states;
    for (int i = 0; i < states.length; i++) {
      String field = numberFields[i];
      if (field == null) {
        states[i] = byIndex[i].add(states[i], event);
      } else {
        if (field != read) { // interned, as the view file's fields are
          read = field;
          value = event.number(field);
        }
        states[i] = byIndex[i].addNumber(states[i], value);
      }
    }
    return a;
  }

  public Aggregate merge(Aggregate a, Aggregate b) {
    a.events += b.events;
    a.maxEventTime = Math.max(a.maxEventTime, b.maxEventTime);
    for (int i = 0; i < a.states.length; i++) {
      a.states[i] = measures.get(i).merge(a.states[i], b.states[i]);
    }
    return a;
  }

  public Aggregate copy(Aggregate a) {
    Serializable[] states = new Serializable[a.states.length];
    for (int i = 0; i < states.length; i++) {
      states[i] = measures.get(i).copy(a.states[i]);
    }
    Aggregate c = new Aggregate(view.name(), states);
    c.events = a.events;
    c.maxEventTime = a.maxEventTime;
    return c;
  }

  /** Measure name → answer, in declared order. */
  public Map<String, Object> results(Aggregate a) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < a.states.length; i++) {
      out.put(measures.get(i).spec().name(), measures.get(i).result(a.states[i]));
    }
    return out;
  }

  /** The field measure {@code i} reads as a number, or null: for tests. */
  String numberField(int i) {
    return numberFields[i];
  }

  /** Measure {@code i}, in declared order ({@link Rollup} copies states with it). */
  Measure<Serializable> measure(int i) {
    return measures.get(i);
  }

  /** The state of measure {@code i}, for tests that compare sketches (and sliding windows' sums, rolled up). */
  public Serializable state(Aggregate a, int i) {
    return a.states[i];
  }

  public byte[] encode(Aggregate a) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeLong(a.events);
      out.writeLong(a.maxEventTime);
      out.writeShort(a.states.length);
      for (int i = 0; i < a.states.length; i++) {
        measures.get(i).write(a.states[i], out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** @throws IllegalArgumentException when the bytes were not written by this view's measures */
  public Aggregate decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException("aggregate format " + format + " is not " + FORMAT);
      }
      Aggregate a = zero();
      a.events = in.readLong();
      a.maxEventTime = in.readLong();
      int n = in.readShort();
      if (n != a.states.length) {
        throw new IllegalArgumentException("aggregate has " + n + " measures, view " + view.name() + " declares " + a.states.length);
      }
      for (int i = 0; i < n; i++) {
        a.states[i] = measures.get(i).read(in);
      }
      return a;
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable aggregate of view " + view.name() + ": " + e.getMessage(), e);
    }
  }
}
