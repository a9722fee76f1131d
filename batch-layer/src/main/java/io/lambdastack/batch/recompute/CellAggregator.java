package io.lambdastack.batch.recompute;

import io.lambdastack.view.aggregate.Aggregate;
import io.lambdastack.view.aggregate.ViewAggregator;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.event.Event;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The shared fold as a Spark SQL aggregate function: folds the events of one (view, key, bucket) with the
 * view's own {@link ViewAggregator} (the speed layer's measure code), inside Spark's hash aggregation, so the
 * recompute scans and aggregates like a plain {@code groupBy} (no conversion to Java objects per event beyond
 * the view's fields, no RDD shuffle).
 *
 * <p>Next to the aggregate, each cell keeps the arrival bounds {@link LateEvents} needs: its first and last
 * arrival, and its first arrival at or after the view's closing offset within the bucket.
 *
 * <p>Input: {@link #inputSchema}, i.e. the view's index in {@code views} then the projected columns
 * ({@link ViewColumns#select}). Output: {@link Result#encode}.
 */
public final class CellAggregator extends Aggregator<Row, CellAggregator.Cell, byte[]> {
  /**
   * The aggregation buffer of one cell. Spark serializes buffers between its partial and final aggregation,
   * through {@link #bufferEncoder}: a bean whose one property, {@code bytes}, is the cell in the view's own
   * compact encoding ({@link ViewAggregator#encode}) plus its arrival bounds. The aggregate is decoded when the
   * buffer is next merged or finished, by the aggregator that knows its view. (Java serialization, a stream
   * header and class descriptor per buffer, cost more than the merges: profiled.)
   */
  public static final class Cell {
    int view = -1;
    ViewAggregator aggregator;
    Aggregate aggregate;
    byte[] encoded;
    Arrival first;
    Arrival last;
    Arrival firstFromOffset;

    public Cell() {}

    boolean isEmpty() {
      return view < 0;
    }

    /** The aggregate, decoded if the buffer arrived serialized. */
    Aggregate aggregate(ViewAggregator by) {
      if (aggregate == null && encoded != null) {
        aggregate = by.decode(encoded);
        encoded = null;
      }
      aggregator = by;
      return aggregate;
    }

    /** The bean property Spark serializes: the whole cell, empty for an empty one. */
    public byte[] getBytes() {
      if (isEmpty()) {
        return new byte[0];
      }
      byte[] state = aggregate != null ? aggregator.encode(aggregate) : encoded;
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(state.length + 72);
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(view);
        out.writeInt(state.length);
        out.write(state);
        Arrival.write(first, out);
        Arrival.write(last, out);
        Arrival.write(firstFromOffset, out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    public void setBytes(byte[] bytes) {
      aggregate = null;
      aggregator = null;
      if (bytes.length == 0) {
        view = -1;
        encoded = null;
        first = last = firstFromOffset = null;
        return;
      }
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
        view = in.readInt();
        encoded = new byte[in.readInt()];
        in.readFully(encoded);
        first = Arrival.read(in);
        last = Arrival.read(in);
        firstFromOffset = Arrival.read(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A finished cell: the snapshot's columns and the arrival bounds. */
  record Result(long events, String measures, byte[] aggregate, Arrival first, Arrival last, Arrival firstFromOffset) implements Serializable {
    byte[] encode() {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + aggregate.length + measures.length());
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeLong(events);
        byte[] json = measures.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(json.length);
        out.write(json);
        out.writeInt(aggregate.length);
        out.write(aggregate);
        Arrival.write(first, out);
        Arrival.write(last, out);
        Arrival.write(firstFromOffset, out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    static Result decode(byte[] encoded) {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
        long events = in.readLong();
        byte[] json = new byte[in.readInt()];
        in.readFully(json);
        String measures = new String(json, java.nio.charset.StandardCharsets.UTF_8);
        byte[] aggregate = new byte[in.readInt()];
        in.readFully(aggregate);
        return new Result(events, measures, aggregate, Arrival.read(in), Arrival.read(in), Arrival.read(in));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private final List<ViewAggregator> views;
  private final ViewColumns columns;

  CellAggregator(List<ViewDefinition> views, ViewColumns columns) {
    this.views = views.stream().map(ViewAggregator::new).toList();
    this.columns = columns;
  }

  /** The aggregate's input: the view index, then the projected columns. */
  static StructType inputSchema(StructType projected) {
    StructType schema = new StructType().add(new StructField("view", DataTypes.IntegerType, false, org.apache.spark.sql.types.Metadata.empty()));
    for (StructField f : projected.fields()) {
      schema = schema.add(f);
    }
    return schema;
  }

  /**
   * Where, within a bucket, the time that closes an earlier bucket falls: a bucket starting at {@code s} is
   * closed by a watermark of {@code s + width + lateness}, which lies at offset {@code lateness mod width}
   * of its own bucket.
   */
  static long closingOffset(ViewDefinition view) {
    return Math.floorMod(view.latenessMillis(), view.bucketWidthMillis());
  }

  @Override
  public Cell zero() {
    return new Cell();
  }

  @Override
  public Cell reduce(Cell cell, Row in) {
    int index = in.getInt(0);
    ViewAggregator aggregator = views.get(index);
    if (cell.isEmpty()) {
      cell.view = index;
      cell.aggregate = aggregator.zero();
    }
    Event event = columns.event(in, 1);
    aggregator.add(cell.aggregate(aggregator), event);
    Arrival arrival = new Arrival(in.getLong(1 + ViewColumns.KAFKA_TIMESTAMP), in.getInt(1 + ViewColumns.PARTITION),
        in.getLong(1 + ViewColumns.OFFSET));
    cell.first = Arrival.min(cell.first, arrival);
    cell.last = Arrival.max(cell.last, arrival);
    ViewDefinition view = aggregator.view();
    if (event.eventTime() - view.bucketStart(event.eventTime()) >= closingOffset(view)) {
      cell.firstFromOffset = Arrival.min(cell.firstFromOffset, arrival);
    }
    return cell;
  }

  @Override
  public Cell merge(Cell a, Cell b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    ViewAggregator aggregator = views.get(a.view);
    aggregator.merge(a.aggregate(aggregator), b.aggregate(aggregator));
    a.first = Arrival.min(a.first, b.first);
    a.last = Arrival.max(a.last, b.last);
    a.firstFromOffset = Arrival.min(a.firstFromOffset, b.firstFromOffset);
    return a;
  }

  @Override
  public byte[] finish(Cell cell) {
    ViewAggregator aggregator = views.get(cell.view);
    Aggregate aggregate = cell.aggregate(aggregator);
    String measures = io.lambdastack.batch.snapshot.SnapshotRows.measuresJson(aggregator.results(aggregate));
    return new Result(aggregate.events(), measures, aggregator.encode(aggregate), cell.first, cell.last,
        cell.firstFromOffset).encode();
  }

  @Override
  public Encoder<Cell> bufferEncoder() {
    return Encoders.bean(Cell.class);
  }

  @Override
  public Encoder<byte[]> outputEncoder() {
    return Encoders.BINARY();
  }
}
