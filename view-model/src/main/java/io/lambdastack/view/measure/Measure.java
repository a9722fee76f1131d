package io.lambdastack.view.measure;

import io.lambdastack.view.definition.MeasureSpec;
import io.lambdastack.view.event.Event;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;

/**
 * A mergeable measure: a monoid over states ({@link #zero()} is the identity, {@link #merge} is associative
 * and commutative) plus a way to fold one event in. The speed layer folds micro-batches and merges them
 * into its state; the batch layer folds partitions and merges them: the same code, so the same answers.
 *
 * <p>As with Spark's {@code Aggregator}, {@link #add} and {@link #merge} may modify their first argument and
 * return it; a caller that must keep a state unchanged (the speed layer's checkpointed state) merges into a
 * {@link #copy} instead.
 */
public interface Measure<S extends Serializable> extends Serializable {
  MeasureSpec spec();

  S zero();

  S add(S state, Event event);

  /**
   * The field this measure reads as a number, or null (count, distinct). A caller folding several measures into their
   * states from one event looks such a field up once and hands its value to {@link #addNumber}.
   */
  default String numberField() {
    return null;
  }

  /** What {@link #add} does with an event whose {@link #numberField} is {@code value} (null: the event lacks it). */
  default S addNumber(S state, Double value) {
    throw new UnsupportedOperationException(spec().expression() + " reads no number");
  }

  S merge(S left, S right);

  S copy(S state);

  /** The answer as a JSON-friendly value (number, null, or a map of numbers). */
  Object result(S state);

  /** Stable binary form, for Kafka records and Parquet. */
  void write(S state, DataOutput out) throws IOException;

  S read(DataInput in) throws IOException;
}
