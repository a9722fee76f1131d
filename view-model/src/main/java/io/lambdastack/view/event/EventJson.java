package io.lambdastack.view.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;

/**
 * The wire format of events: one flat JSON object, {@code {"id":..,"ts":..,"field":value,..}}. {@code ts} is
 * epoch millis or ISO-8601 (with offset or Z); strings become attributes, numbers values.
 */
public final class EventJson {
  public static final String ID = "id";
  public static final String TS = "ts";
  /**
   * Event times must lie in [1900-01-01, 2200-01-01) UTC. Outside, a timestamp is almost surely in the wrong
   * unit (microseconds, seconds) and would push a key's watermark out of reach or overflow bucket arithmetic.
   */
  public static final long MIN_TS = -2_208_988_800_000L;
  public static final long MAX_TS = 7_258_118_400_000L;
  static final String TS_RANGE = "ts out of range (must lie in 1900-01-01..2200-01-01 UTC as epoch millis)";
  /** Doubles parsed by Jackson's fast parser: correctly rounded, like Double.parseDouble, at a fraction of the cost. */
  private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  private EventJson() {}

  public static Event parse(byte[] bytes) throws EventFormatException {
    return parse(bytes, true);
  }

  /**
   * The event as {@link #parse} reads it, with the same checks and the same errors, except that its id is
   * {@link Event#NO_ID} when the common case reads it (an event Jackson reads keeps its own). For the views, none of
   * which reads an id: an id is usually a text of its own per event, and making it was 12 of the 151 ns one thread
   * spent parsing an event of {@code bench/speed-layer.sh}, 25 of the 336 it spent parsing and folding it.
   */
  public static Event parseForViews(byte[] bytes) throws EventFormatException {
    return parse(bytes, false);
  }

  /**
   * {@link #parseForViews(byte[])} of the buffer's remaining bytes, read where they are when it has an array (a Kafka
   * consumer's {@code ByteBufferDeserializer} hands over the fetched record's own bytes): the common case then copies
   * nothing. Why: copying every value into an array of its own was about 150 bytes allocated and copied a record.
   * Anything else takes the bytes' path, with the same checks and errors. The buffer's position is left as it was.
   */
  public static Event parseForViews(ByteBuffer value) throws EventFormatException {
    if (value == null || !value.hasArray() || !value.hasRemaining()) {
      return parseForViews(value == null ? null : Utils.toArray(value)); // no array to read in place (or nothing to read)
    }
    try {
      Event plain = PlainEventJson.tryParse(value.array(), value.arrayOffset() + value.position(), value.remaining(), false);
      if (plain != null) {
        return plain;
      }
    } catch (RuntimeException surprise) {
      // as plainOrNull: the full path below parses it or rejects it with a reason
    }
    return parseBeyondPlain(Utils.toArray(value)); // the fast path has refused these very bytes: not again
  }

  private static Event parse(byte[] bytes, boolean keepId) throws EventFormatException {
    if (bytes == null || bytes.length == 0) {
      throw new EventFormatException("empty payload");
    }
    // The common case, straight from the bytes. It reads ASCII only: a byte of 0x80 or more ends it wherever it
    // stands (no string, name, number, literal or space takes one), so it needs no check of its own before.
    Event plain = plainOrNull(bytes, keepId);
    if (plain != null) {
      return plain;
    }
    return parseBeyondPlain(bytes);
  }

  /** What the fast path refused (non-empty bytes): a strict UTF-8 check when not ASCII, then Jackson. */
  private static Event parseBeyondPlain(byte[] bytes) throws EventFormatException {
    if (!isAscii(bytes)) {
      requireStrictUtf8(bytes); // Jackson's byte parser checks only the bytes inside strings, and less strictly
    }
    return parseFully(bytes);
  }

  /**
   * The fast path's event, or null. A surprise in it (a bug on some input) must not fail a pipeline: that input
   * goes to Jackson like any other, which parses it or rejects it with a reason (the dead-letter path).
   */
  private static Event plainOrNull(byte[] bytes, boolean keepId) {
    try {
      return PlainEventJson.tryParse(bytes, keepId);
    } catch (RuntimeException surprise) {
      return null;
    }
  }

  /** Any event, and every error, with Jackson: what {@link PlainEventJson} leaves to it (and its tests' reference). */
  static Event parseFully(byte[] bytes) throws EventFormatException {
    try (JsonParser parser = JSON.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new EventFormatException("not a JSON object");
      }
      Event event = readObject(parser);
      if (hasTrailingContent(parser)) {
        throw new EventFormatException("trailing content after the JSON object");
      }
      return event;
    } catch (IOException e) {
      throw new EventFormatException("malformed JSON: " + firstLine(e.getMessage()));
    } catch (RuntimeException e) {
      // Never let a surprise in the parser fail a pipeline: the record is rejected with what we know.
      throw new EventFormatException("unreadable event: " + e);
    }
  }

  private static boolean hasTrailingContent(JsonParser parser) {
    try {
      return parser.nextToken() != null;
    } catch (IOException garbage) {
      return true;
    }
  }

  private static Event readObject(JsonParser parser) throws IOException, EventFormatException {
    String id = null;
    Long ts = null;
    Fields fields = new Fields();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken token = parser.nextToken();
      if (fields.has(field) || (ID.equals(field) && id != null) || (TS.equals(field) && ts != null)) {
        throw new EventFormatException("duplicate field " + field);
      }
      switch (field) {
        case ID -> id = readId(parser, token);
        case TS -> ts = readTimestamp(parser, token);
        default -> readField(parser, token, field, fields);
      }
    }
    if (id == null) {
      throw new EventFormatException("missing field id");
    }
    if (ts == null) {
      throw new EventFormatException("missing field ts");
    }
    if (ts < MIN_TS || ts >= MAX_TS) {
      throw new EventFormatException(TS_RANGE);
    }
    return new Event(id, ts, fields.attributes(), fields.values());
  }

  /**
   * An event's fields as they are read, in arrays: events have a handful of fields, so a linear scan finds
   * duplicates faster than hashing, and the immutable maps are built once (the Event keeps them as they are).
   * Profiled on the speed layer, the two LinkedHashMaps and their copies were a fifth of parsing.
   */
  private static final class Fields {
    private String[] names = new String[8];
    private Object[] values = new Object[8];
    private boolean[] isNumber = new boolean[8];
    private int size;
    private java.util.Set<String> many; // a name index, once there are too many fields to scan

    boolean has(String name) {
      if (many != null) {
        return many.contains(name);
      }
      for (int i = 0; i < size; i++) {
        if (names[i].equals(name)) {
          return true;
        }
      }
      return false;
    }

    void add(String name, Object value, boolean number) {
      if (size == names.length) {
        names = java.util.Arrays.copyOf(names, size * 2);
        values = java.util.Arrays.copyOf(values, size * 2);
        isNumber = java.util.Arrays.copyOf(isNumber, size * 2);
      }
      names[size] = name;
      values[size] = value;
      isNumber[size] = number;
      size++;
      if (many != null) {
        many.add(name);
      } else if (size > 16) {
        many = new java.util.HashSet<>(java.util.Arrays.asList(names).subList(0, size));
      }
    }

    @SuppressWarnings("unchecked")
    Map<String, String> attributes() {
      return (Map<String, String>) (Map<String, ?>) map(false);
    }

    @SuppressWarnings("unchecked")
    Map<String, Double> values() {
      return (Map<String, Double>) (Map<String, ?>) map(true);
    }

    private Map<String, Object> map(boolean numbers) {
      Object[] kv = new Object[2 * size];
      int n = 0;
      for (int i = 0; i < size; i++) {
        if (isNumber[i] == numbers) {
          kv[2 * n] = names[i];
          kv[2 * n + 1] = values[i];
          n++;
        }
      }
      return FieldMaps.of(kv, n);
    }
  }

  private static String readId(JsonParser parser, JsonToken token) throws IOException, EventFormatException {
    if (token == JsonToken.VALUE_STRING && !parser.getText().isBlank()) {
      return parser.getText();
    }
    if (token == JsonToken.VALUE_NUMBER_INT) {
      return parser.getText();
    }
    throw new EventFormatException("id is not a non-empty string or integer");
  }

  private static long readTimestamp(JsonParser parser, JsonToken token) throws IOException, EventFormatException {
    if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return parser.getLongValue();
    }
    if (token == JsonToken.VALUE_STRING) {
      return parseTime(parser.getText()).orElseThrow(
          () -> new EventFormatException("ts is neither ISO-8601 nor epoch millis"));
    }
    throw new EventFormatException("ts is neither ISO-8601 nor epoch millis");
  }

  /** Epoch millis or ISO-8601 with an offset, as used by events and by query parameters. */
  public static java.util.OptionalLong parseTime(String text) {
    String t = text.trim();
    if (t.matches("-?\\d{1,18}")) {
      return java.util.OptionalLong.of(Long.parseLong(t));
    }
    try {
      return java.util.OptionalLong.of(Instant.parse(t).toEpochMilli());
    } catch (DateTimeException | ArithmeticException notInstant) {
      try {
        return java.util.OptionalLong.of(OffsetDateTime.parse(t).toInstant().toEpochMilli());
      } catch (DateTimeException | ArithmeticException notOffset) {
        return java.util.OptionalLong.empty(); // ArithmeticException: a year beyond the range of epoch millis
      }
    }
  }

  private static void readField(JsonParser parser, JsonToken token, String field, Fields fields)
      throws IOException, EventFormatException {
    switch (token) {
      case VALUE_STRING, VALUE_TRUE, VALUE_FALSE -> fields.add(field, parser.getText(), false);
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        double value = parser.getDoubleValue();
        if (!Double.isFinite(value)) {
          throw new EventFormatException("value of " + field + " is not a finite number");
        }
        fields.add(field, value, true);
      }
      case VALUE_NULL -> { } // absent, as in SQL
      default -> throw new EventFormatException(
          "field " + field + " is " + (token == JsonToken.START_ARRAY ? "an array" : "an object")
              + "; events are flat JSON objects");
    }
  }

  /** A reusable buffer per thread: encoding is on every producer's hot path. */
  private static final ThreadLocal<com.fasterxml.jackson.core.util.ByteArrayBuilder> BUFFER =
      ThreadLocal.withInitial(() -> new com.fasterxml.jackson.core.util.ByteArrayBuilder(256));

  public static byte[] toBytes(Event event) {
    com.fasterxml.jackson.core.util.ByteArrayBuilder out = BUFFER.get();
    out.reset();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField(ID, event.id());
      json.writeNumberField(TS, event.eventTime());
      for (Map.Entry<String, String> a : event.attributes().entrySet()) {
        json.writeStringField(a.getKey(), a.getValue());
      }
      for (Map.Entry<String, Double> v : event.values().entrySet()) {
        json.writeNumberField(v.getKey(), v.getValue());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }


  /** Eight bytes at a time: every event's bytes pass here (byte by byte it was 6 % of parsing and folding one). */
  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  static boolean isAscii(byte[] bytes) {
    int i = 0;
    for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
      if (((long) LONGS.get(bytes, i) & HIGH_BITS) != 0) {
        return false;
      }
    }
    for (; i < bytes.length; i++) {
      if (bytes[i] < 0) {
        return false;
      }
    }
    return true;
  }

  private static void requireStrictUtf8(byte[] bytes) throws EventFormatException {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
    } catch (CharacterCodingException e) {
      throw new EventFormatException("invalid UTF-8");
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
