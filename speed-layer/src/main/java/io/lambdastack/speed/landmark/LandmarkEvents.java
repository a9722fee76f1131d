package io.lambdastack.speed.landmark;

import io.lambdastack.view.definition.MeasureSpec;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.FieldMaps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The events one micro-batch brings to one landmark (view, key), in the compact form that crosses the
 * shuffle and waits in Spark's cache: each event reduced to its time, whether it is a reset marker (decided
 * before the reduction drops the marker's field) and the fields the view's measures read (by their index),
 * encoded in chunks of bytes: 18 bytes for a reading with one measured field. A segment's order needs every event of the key, so events cannot be pre-aggregated the
 * way buckets are; but Java-serializing whole events cost more than the rest of the batch, and Spark sizes
 * cached objects by walking them, which is free for a byte array.
 */
public final class LandmarkEvents implements Serializable {
  private static final byte ABSENT = 0;
  private static final byte NUMBER = 1;
  private static final byte TEXT = 2;
  /** The fields the view's measures read, in a fixed order: an event names them by position. */
  private final String[] fields;
  private final List<byte[]> chunks = new ArrayList<>(1);
  private long size;

  private LandmarkEvents(String[] fields) {
    this.fields = fields;
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

  /** Appends the other's events (this one is modified). */
  public LandmarkEvents merge(LandmarkEvents other) {
    chunks.addAll(other.chunks);
    size += other.size;
    return this;
  }

  /** Every event, decoded, in {@link #ORDER}. */
  public List<Marked> sorted() {
    List<Marked> out = new ArrayList<>((int) size);
    try {
      for (byte[] chunk : chunks) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(chunk));
        while (in.available() > 0) {
          out.add(read(in));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(ORDER);
    return out;
  }

  private Marked read(DataInputStream in) throws IOException {
    long time = in.readLong();
    boolean reset = in.readBoolean();
    Object[] texts = new Object[2 * fields.length];
    Object[] numbers = new Object[2 * fields.length];
    int t = 0;
    int v = 0;
    for (String field : fields) {
      byte kind = in.readByte();
      if (kind == NUMBER) {
        numbers[v++] = field;
        numbers[v++] = in.readDouble();
      } else if (kind == TEXT) {
        byte[] text = new byte[in.readInt()];
        in.readFully(text);
        texts[t++] = field;
        texts[t++] = new String(text, StandardCharsets.UTF_8);
      }
    }
    return new Marked(new Event("-", time, FieldMaps.of(texts, t / 2), FieldMaps.of(numbers, v / 2)), reset);
  }

  /** Collects one partition's events of one key; {@link #events()} seals them into one chunk. */
  public static final class Builder {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    private final DataOutputStream out = new DataOutputStream(bytes);
    private final ViewDefinition view;
    private final String[] fields;
    private long size;

    public Builder(ViewDefinition view) {
      this.view = view;
      Set<String> read = new LinkedHashSet<>();
      for (MeasureSpec m : view.measures()) {
        if (m.field() != null) {
          read.add(m.field());
        }
      }
      this.fields = read.toArray(String[]::new);
    }

    public void add(Event event) {
      try {
        out.writeLong(event.eventTime());
        out.writeBoolean(view.reset().matches(event));
        for (String f : fields) {
          Double v = event.values().get(f);
          String a = v == null ? event.attributes().get(f) : null;
          if (v != null) {
            out.writeByte(NUMBER);
            out.writeDouble(v);
          } else if (a != null) {
            // Not writeUTF: it refuses strings over 64 KB, and an event's text field may be longer (a batch must
            // not fail on a valid event).
            byte[] text = a.getBytes(StandardCharsets.UTF_8);
            out.writeByte(TEXT);
            out.writeInt(text.length);
            out.write(text);
          } else {
            out.writeByte(ABSENT);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
      }
      size++;
    }

    public LandmarkEvents events() {
      LandmarkEvents e = new LandmarkEvents(fields);
      e.chunks.add(bytes.toByteArray());
      e.size = size;
      return e;
    }
  }
}
