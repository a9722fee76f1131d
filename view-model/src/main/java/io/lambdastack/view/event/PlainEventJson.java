package io.lambdastack.view.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The common case of {@link EventJson#parse}, read straight from the bytes: an ASCII object of at most
 * {@link #MAX_FIELDS} fields and {@link #MAX_BYTES} bytes whose strings have no escapes, a whole-number {@code id} or a string one, an epoch-millis
 * {@code ts} in range, and values that are strings, {@code true}/{@code false} or plain decimals of at most 15 digits.
 * Anything else (and every error) returns null, and {@link EventJson} reads the event with Jackson, so the result
 * and every rejection stay exactly what they were.
 *
 * <p>Why: parsing was 57 % of what one thread spends per event in the speed layer before its views (profiled,
 * {@code bench/speed-layer.sh}'s parse-and-fold floor), most of it Jackson's general machinery. The decimals are
 * exact: a mantissa under 2^53 divided by a power of ten up to 10^15, both exact doubles, rounds correctly in one
 * IEEE division (Clinger's fast path), as Jackson's correctly rounded parser does.
 */
final class PlainEventJson {
  static final int MAX_FIELDS = 16;
  /**
   * Longer inputs go to Jackson, whose size limits ({@code StreamReadConstraints}: strings of 20,000,000 chars,
   * names of 50,000 from 2.16) reject what this path would otherwise accept. An event is about 150 bytes.
   */
  static final int MAX_BYTES = 4096;
  /** Longer integer ids go to Jackson (its numbers of over 1,000 digits are errors). */
  private static final int MAX_ID_DIGITS = 19;
  private static final int MAX_DIGITS = 15;
  /** Longer attribute values (free text, ids) are not shared: they seldom recur, and each would evict a key. */
  static final int MAX_SHARED_VALUE = 32;
  private static final RecentTexts NAMES = new RecentTexts(512, true);
  private static final RecentTexts VALUES = new RecentTexts(4096, false);
  private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

  private final byte[] b;
  /** Where the event's bytes end in {@link #b} (they may be a slice of a larger array: a Kafka fetch's buffer). */
  private final int limit;
  /** False: the id is checked as usual but not made into a text; the event gets {@link Event#NO_ID}. */
  private final boolean keepId;
  private int at;
  /** The id, the timestamp and whether there was one, as {@link #value} reads them. */
  private String id;
  private long ts;
  private boolean hasTs;
  private final Shape shape = lastShape;
  private boolean mispredicted;

  private PlainEventJson(byte[] bytes, int from, int limit, boolean keepId) {
    this.b = bytes;
    this.at = from;
    this.limit = limit;
    this.keepId = keepId;
  }

  /** The event, or null when the bytes are not of the common case (the caller then parses them in full). */
  static Event tryParse(byte[] bytes) {
    return tryParse(bytes, true);
  }

  /** {@link #tryParse(byte[])}, with the id kept or, when {@code keepId} is false, checked and left out. */
  static Event tryParse(byte[] bytes, boolean keepId) {
    return tryParse(bytes, 0, bytes.length, keepId);
  }

  /** {@link #tryParse(byte[], boolean)} of the {@code length} bytes from {@code from}: no byte outside them is read as the event's. */
  static Event tryParse(byte[] bytes, int from, int length, boolean keepId) {
    return length > MAX_BYTES ? null : new PlainEventJson(bytes, from, from + length, keepId).event();
  }

  /** The event if the compact path alone reads it ({@link #compact}), else null: for tests. */
  static Event tryCompact(byte[] bytes) {
    return bytes.length > MAX_BYTES ? null : new PlainEventJson(bytes, 0, bytes.length, true).compact();
  }

  private Event event() {
    int start = at;
    Event compact = compact();
    if (compact != null) {
      return compact;
    }
    at = start; // not written as the last event was: read it field by field
    return fieldByField();
  }

  /**
   * The event when its bytes are the last shape's written compactly, as serializers write JSON: each field's separator,
   * quoted name and colon exactly the shape's ({@link Shape#tokenAt}), no space anywhere outside the values, each value
   * of the kind the shape had, and the closing brace the last byte. Null otherwise, and the event is read field by field
   * ({@link #fieldByField}), which accepts and refuses exactly what it did before. Why: reading field by field looks
   * for spaces around every name, colon and comma and keeps account of names not predicted; here a field's separator,
   * name and colon are compared at once (as two masked words when they are at most sixteen bytes and sixteen bytes of
   * the array remain). One thread, the benchmark's events, eight runs alternating with the
   * old code: parsing 127 → 106 ns an event, parsing and folding the five default views 296 → 276.
   */
  private Event compact() {
    Shape s = shape;
    int n = s.names.length;
    if (n == 0) {
      return null;
    }
    Pairs attributes = new Pairs(s.attributes);
    Pairs numbers = new Pairs(s.numbers);
    for (int i = 0; i < n; i++) {
      if (!s.tokenAt(i, b, at, limit)) {
        return null;
      }
      at += s.tokens[i].length;
      if (at >= limit || !value(s.names[i], attributes, numbers)) {
        return null;
      }
    }
    if (at != limit - 1 || b[at] != '}' || !attributes.asPredicted() || !numbers.asPredicted()) {
      return null;
    }
    at = limit;
    return id == null || !hasTs || ts < EventJson.MIN_TS || ts >= EventJson.MAX_TS ? null
        : new Event(id, ts, attributes.toMap(), numbers.toMap());
  }

  /**
   * Reads the value of field {@code name} at {@link #at}: the id or timestamp into their fields, any other into the
   * attributes or numbers. False when it is not of the common case.
   */
  private boolean value(String name, Pairs attributes, Pairs numbers) {
    byte c = b[at];
    if (name == EventJson.ID) {
      id = c == '"' ? (keepId ? nonBlank(string()) : skippedNonBlank()) : integerText();
      return id != null;
    }
    if (name == EventJson.TS) {
      Long t = epochMillis();
      if (t == null) {
        return false;
      }
      ts = t;
      hasTs = true;
      return true;
    }
    if (c == '"' || c == 't' || c == 'f') {
      String text = c == '"' ? attribute() : bool();
      if (text == null) {
        return false;
      }
      attributes.add(name, text);
      return true;
    }
    Double number = decimal();
    if (number == null) {
      return false;
    }
    numbers.add(name, number);
    return true;
  }

  private Event fieldByField() {
    id = null;
    ts = 0;
    hasTs = false;
    // The names read, made only once one was not the predicted one: until then they are the shape's first ones.
    String[] names = null;
    Pairs attributes = new Pairs(shape.attributes);
    Pairs numbers = new Pairs(shape.numbers);
    int fields = 0;
    skipSpace();
    if (!take('{')) {
      return null;
    }
    skipSpace();
    if (!take('}')) {
      do {
        skipSpace();
        String name = name(fields);
        if (name == null || fields == MAX_FIELDS || !take(':')) {
          return null;
        }
        // While every name was the one predicted, they are the last accepted event's, which were distinct: no
        // duplicate to look for (the quadratic check was a twentieth of parsing and folding an event, profiled).
        if (mispredicted) {
          if (names == null) {
            names = Arrays.copyOf(shape.names, Math.max(8, fields + 1)); // the names so far were the predicted ones
          }
          for (int i = 0; i < fields; i++) {
            if (names[i] == name) { // interned: a duplicate is the same reference; Jackson names the error
              return null;
            }
          }
          if (fields == names.length) {
            names = Arrays.copyOf(names, 2 * fields);
          }
          names[fields] = name;
        }
        fields++;
        skipSpace();
        if (at >= limit || !value(name, attributes, numbers)) {
          return null;
        }
        skipSpace();
      } while (take(','));
      if (!take('}')) {
        return null;
      }
    }
    skipSpace();
    if (at != limit || id == null || !hasTs || ts < EventJson.MIN_TS || ts >= EventJson.MAX_TS) {
      return null;
    }
    if (mispredicted || fields != shape.names.length || !attributes.asPredicted() || !numbers.asPredicted()) {
      // The next events most likely name their fields the same.
      lastShape = new Shape(Arrays.copyOf(names == null ? shape.names : names, fields), attributes.names(), numbers.names());
    }
    return new Event(id, ts, attributes.toMap(), numbers.toMap());
  }

  /**
   * An event's attributes or numbers as the parser finds them, grown as needed, then handed to the event as they are.
   * While each name is the one the last shape had at its place, the names are that shape's array itself, shared by the
   * events' maps (never written): only the values are an event's own. Why: the arrays were about a fifth of the 328
   * bytes parsing allocated an event, and every byte allocated is the collector's work too.
   */
  private static final class Pairs {
    private static final Object[] NONE = new Object[0];
    private final String[] predicted;
    private String[] names;
    private Object[] values;
    private int size;

    Pairs(String[] predicted) {
      this.predicted = predicted;
      this.names = predicted;
      this.values = predicted.length == 0 ? NONE : new Object[predicted.length];
    }

    void add(String name, Object value) {
      if (names == predicted) {
        if (size < predicted.length && predicted[size] == name) {
          values[size++] = value;
          return;
        }
        names = Arrays.copyOf(predicted, Math.max(4, 2 * size)); // its first size names are those added
        values = Arrays.copyOf(values, names.length);
      }
      if (size == names.length) {
        names = Arrays.copyOf(names, 2 * size);
        values = Arrays.copyOf(values, 2 * size);
      }
      names[size] = name;
      values[size] = value;
      size++;
    }

    /** True while every name was the predicted one at its place (there may be fewer). */
    boolean asPredicted() {
      return names == predicted && size == predicted.length;
    }

    String[] names() {
      return Arrays.copyOf(names, size);
    }

    <V> Map<String, V> toMap() {
      return FieldMaps.ofDistinct(names, values, size); // names distinct: the parser refused duplicates
    }
  }

  private void skipSpace() {
    while (at < limit && (b[at] == ' ' || b[at] == '\n' || b[at] == '\r' || b[at] == '\t')) {
      at++;
    }
  }

  private boolean take(char c) {
    if (at < limit && b[at] == c) {
      at++;
      return true;
    }
    return false;
  }

  /**
   * The bytes of a string without escapes or control characters, after its opening quote; null otherwise. Eight bytes
   * at a time while none of them is special (a quote, a backslash, a control character or a byte of 0x80 or more: the
   * scan for a string's end was a tenth of the job's read, parse and fold, profiled), then byte by byte from the first
   * that may be.
   */
  private int stringEnd() {
    if (!take('"')) {
      return -1;
    }
    int i = at;
    while (i + Long.BYTES <= limit) {
      long w = (long) WORDS.get(b, i);
      long special = zeroByte(w ^ QUOTES) | zeroByte(w ^ BACKSLASHES) | ((w - SPACES) & ~w & HIGH_BITS) | (w & HIGH_BITS);
      if (special != 0) {
        i += Long.numberOfTrailingZeros(special) >>> 3; // the lowest flagged byte is a special one (little-endian)
        break;
      }
      i += Long.BYTES;
    }
    for (; i < limit; i++) {
      byte c = b[i];
      if (c == '"') {
        return i;
      }
      if (c == '\\' || c < 0x20) {
        return -1;
      }
    }
    return -1;
  }

  private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long QUOTES = '"' * ONES;
  private static final long BACKSLASHES = '\\' * ONES;
  private static final long SPACES = ' ' * ONES;

  /** The high bit of each zero byte of {@code x} set (and maybe of bytes above the lowest one: only that one is sure). */
  private static long zeroByte(long x) {
    return (x - ONES) & ~x & HIGH_BITS;
  }

  /** Moves past a string without escapes or control characters: where its text starts (it ends before the closing quote), or -1. */
  private int quoted() {
    int start = at + 1;
    int end = stringEnd();
    if (end < 0) {
      return -1;
    }
    at = end + 1;
    return start;
  }

  private String string() {
    int start = quoted();
    return start < 0 ? null : new String(b, start, at - 1 - start, StandardCharsets.ISO_8859_1); // ASCII: a byte a char
  }

  /** An attribute's text: a short one shared with its earlier occurrences ({@link RecentTexts}). */
  private String attribute() {
    int start = quoted();
    if (start < 0) {
      return null;
    }
    return at - 1 - start <= MAX_SHARED_VALUE ? VALUES.of(b, start, at - 1)
        : new String(b, start, at - 1 - start, StandardCharsets.ISO_8859_1);
  }

  /**
   * Field {@code index}'s name: the one the last event had at that place when the bytes are exactly it in quotes (most
   * events of a topic are written alike), else read and looked up.
   */
  private String name(int index) {
    if (index < shape.names.length && shape.matches(index, b, at, limit)) {
      at += shape.quoted[index].length;
      skipSpace();
      return shape.names[index];
    }
    mispredicted = true;
    int start = quoted();
    if (start < 0) {
      return null;
    }
    String name = NAMES.of(b, start, at - 1);
    skipSpace();
    return name;
  }

  /**
   * The names of an event's fields in order, each with its bytes in quotes. Why: reading a name (the scan for its end,
   * then a lookup by hash among recent texts) was about a fifth of parsing an event, profiled; comparing its bytes
   * with the name the last event had at the same place is one vectorized comparison.
   */
  private static final class Shape {
    final String[] names;
    /** The names of its attributes and of its numbers, in order: the arrays its events' maps share ({@link Pairs}). */
    final String[] attributes;
    final String[] numbers;
    final byte[][] quoted;
    /** Each quoted name's first sixteen bytes as two little-endian words, and masks of the bytes it has in them. */
    private final long[] words;
    private final long[] masks;
    /** Each field's bytes before its value in a compact event: '{' or ',', the quoted name, ':'. */
    final byte[][] tokens;
    private final long[] tokenWords;
    private final long[] tokenMasks;

    Shape(String[] names, String[] attributes, String[] numbers) {
      this.names = names;
      this.attributes = attributes;
      this.numbers = numbers;
      this.quoted = new byte[names.length][];
      this.words = new long[2 * names.length];
      this.masks = new long[2 * names.length];
      this.tokens = new byte[names.length][];
      this.tokenWords = new long[2 * names.length];
      this.tokenMasks = new long[2 * names.length];
      for (int i = 0; i < names.length; i++) {
        quoted[i] = ('"' + names[i] + '"').getBytes(StandardCharsets.ISO_8859_1); // ASCII: the fast path read them
        asWords(quoted[i], i, words, masks);
        tokens[i] = ((i == 0 ? "{" : ",") + '"' + names[i] + "\":").getBytes(StandardCharsets.ISO_8859_1);
        asWords(tokens[i], i, tokenWords, tokenMasks);
      }
    }

    /** The first sixteen bytes as entries {@code 2i} and {@code 2i + 1} of little-endian words, with masks of the bytes there. */
    private static void asWords(byte[] bytes, int i, long[] words, long[] masks) {
      for (int w = 0; w < 2; w++) {
        for (int k = 0; k < Long.BYTES && w * Long.BYTES + k < bytes.length; k++) {
          words[2 * i + w] |= (long) (bytes[w * Long.BYTES + k] & 0xFF) << (8 * k);
          masks[2 * i + w] |= 0xFFL << (8 * k);
        }
      }
    }

    /** Whether the bytes at {@code at} are field {@code index}'s compact token ({@link #tokens}). */
    boolean tokenAt(int index, byte[] b, int at, int limit) {
      return sameBytes(tokens[index], tokenWords, tokenMasks, index, b, at, limit);
    }

    /**
     * Whether the bytes at {@code at} are field {@code index}'s quoted name. Why words: {@code Arrays.equals} over a
     * range, a call with its own checks per name, was a tenth of parsing and folding an event (profiled); a quoted
     * name of up to sixteen bytes is two loads, compared under masks.
     */
    boolean matches(int index, byte[] b, int at, int limit) {
      return sameBytes(quoted[index], words, masks, index, b, at, limit);
    }

    /** Whether the bytes at {@code at} (before {@code limit}) are {@code expected}, whose words are entries {@code 2 index} and {@code 2 index + 1}. */
    private static boolean sameBytes(byte[] expected, long[] words, long[] masks, int index, byte[] b, int at, int limit) {
      if (at + expected.length > limit) {
        return false;
      }
      if (expected.length > 2 * Long.BYTES || at + 2 * Long.BYTES > b.length) {
        return Arrays.equals(b, at, at + expected.length, expected, 0, expected.length);
      }
      long first = ((long) WORDS.get(b, at) ^ words[2 * index]) & masks[2 * index];
      long second = ((long) WORDS.get(b, at + Long.BYTES) ^ words[2 * index + 1]) & masks[2 * index + 1];
      return (first | second) == 0;
    }
  }

  /** The last event's shape, from any thread: a stale or another thread's one only costs a miss. */
  private static volatile Shape lastShape = new Shape(new String[0], new String[0], new String[0]);

  /** The shape the next event is compared with: for tests (a new one is recorded only when a name was not as predicted). */
  static Object lastShape() {
    return lastShape;
  }

  /**
   * Moves past a string as {@link #string()} does, and says whether {@code nonBlank} would keep it: {@link Event#NO_ID}
   * if so, else null. Its bytes are ASCII without control characters (or {@link #stringEnd} refused them), so the only
   * blank one is the space.
   */
  private String skippedNonBlank() {
    int start = quoted();
    if (start < 0) {
      return null;
    }
    for (int i = start; i < at - 1; i++) {
      if (b[i] != ' ') {
        return Event.NO_ID;
      }
    }
    return null;
  }

  private static String nonBlank(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

  /** {@code true} or {@code false}, as Jackson's text of them. */
  private String bool() {
    if (at + TRUE.length <= limit && Arrays.equals(b, at, at + TRUE.length, TRUE, 0, TRUE.length)) {
      at += TRUE.length;
      return "true";
    }
    if (at + FALSE.length <= limit && Arrays.equals(b, at, at + FALSE.length, FALSE, 0, FALSE.length)) {
      at += FALSE.length;
      return "false";
    }
    return null;
  }

  /** {@code -?(0|[1-9][0-9]*)}: the digits' end, or -1. */
  private int integerEnd(int from) {
    int i = from < limit && b[from] == '-' ? from + 1 : from;
    if (i >= limit || b[i] < '0' || b[i] > '9') {
      return -1;
    }
    if (b[i] == '0') {
      return i + 1 < limit && b[i + 1] >= '0' && b[i + 1] <= '9' ? -1 : i + 1;
    }
    while (i < limit && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    return i;
  }

  /** A whole number as written (Jackson's text of an integer id), not followed by a fraction or exponent. */
  private String integerText() {
    int end = integerEnd(at);
    if (end < 0 || endsNumberBadly(end) || end - at - (b[at] == '-' ? 1 : 0) > MAX_ID_DIGITS) {
      return null;
    }
    String text = keepId ? new String(b, at, end - at, StandardCharsets.ISO_8859_1) : Event.NO_ID;
    at = end;
    return text;
  }

  /**
   * {@code -?(0|[1-9][0-9]*)} of at most 18 digits, read in one pass (the digits were read twice: to find their end,
   * then their value), not followed by a fraction, exponent or letter; null otherwise.
   */
  private Long epochMillis() {
    boolean negative = b[at] == '-';
    int first = negative ? at + 1 : at;
    if (first >= limit || b[first] < '0' || b[first] > '9'
        || (b[first] == '0' && first + 1 < limit && b[first + 1] >= '0' && b[first + 1] <= '9')) {
      return null;
    }
    long value = 0;
    int i = first;
    while (i < limit && b[i] >= '0' && b[i] <= '9') {
      if (i - first == 18) {
        return null; // a 19th digit: at most 18 digits, so no overflow
      }
      value = value * 10 + (b[i] - '0');
      i++;
    }
    if (endsNumberBadly(i)) {
      return null;
    }
    at = i;
    return negative ? -value : value;
  }

  /** A fraction, exponent or letter right after an integer makes it another kind of number (or no number). */
  private boolean endsNumberBadly(int end) {
    return end < limit && (b[end] == '.' || b[end] == 'e' || b[end] == 'E' || Character.isLetterOrDigit(b[end]));
  }

  /** {@code -?int(.digits)?} with at most 15 digits in all, not zero when negative; null otherwise. */
  private Double decimal() {
    int end = integerEnd(at);
    if (end < 0) {
      return null;
    }
    boolean negative = b[at] == '-';
    long mantissa = 0;
    int digits = 0;
    for (int i = negative ? at + 1 : at; i < end; i++) {
      mantissa = mantissa * 10 + (b[i] - '0');
      digits++;
    }
    int scale = 0;
    if (end < limit && b[end] == '.') {
      int i = end + 1;
      while (i < limit && b[i] >= '0' && b[i] <= '9') {
        mantissa = mantissa * 10 + (b[i] - '0');
        digits++;
        scale++;
        i++;
        if (digits > MAX_DIGITS) {
          return null;
        }
      }
      if (scale == 0) {
        return null; // "1." is not JSON
      }
      end = i;
    }
    if (digits > MAX_DIGITS || (negative && mantissa == 0) || (end < limit && (b[end] == 'e' || b[end] == 'E'
        || Character.isLetterOrDigit(b[end])))) {
      return null; // long, -0 (Jackson's int and float paths differ on its sign), exponents: the full parser's
    }
    at = end;
    double value = mantissa / POWERS_OF_TEN[scale];
    return negative ? -value : value;
  }

  /**
   * Recently seen texts as the same String objects every time. A small table; a collision just makes a new entry.
   * Field names are also interned, as Jackson's names are, so an event's field lookups compare references with the
   * view definitions' ({@link FieldMap}). Attribute values of up to {@link #MAX_SHARED_VALUE} bytes (sensor ids,
   * sites, airports) are shared without interning: a key that recurs then needs no new String, its hash is
   * computed once, and the views' tables and the distinct-count sketches find it by reference.
   */
  static final class RecentTexts {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Texts of up to this many bytes are compared as two longs; longer ones byte by byte. */
    private static final int SHORT = 2 * Long.BYTES;

    /** A text and its bytes: the first sixteen as two little-endian longs (zero beyond its end), all of them when longer. */
    private record Entry(long head, long tail, int length, byte[] bytes, String text) {}

    private final Entry[] table;
    private final int shift;
    private final boolean intern;

    RecentTexts(int slots, boolean intern) {
      if (slots < 2 || Integer.bitCount(slots) != 1) { // one slot would shift a long by 64: by nothing, in Java
        throw new IllegalArgumentException("slots must be a power of two of at least 2, got " + slots);
      }
      this.table = new Entry[slots];
      this.shift = Long.SIZE - Integer.numberOfTrailingZeros(slots); // the product's top bits: the best mixed
      this.intern = intern;
    }

    /**
     * Why two longs: a hash of every byte is a chain of dependent multiplications, and comparing with
     * {@code Arrays.equals} a call with its own checks; the two were a third of parsing an event (profiled).
     */
    String of(byte[] b, int from, int to) {
      int n = to - from;
      long head = word(b, from, Math.min(n, Long.BYTES));
      long tail = n > Long.BYTES ? word(b, from + Long.BYTES, Math.min(n, SHORT) - Long.BYTES) : 0;
      long h = (head ^ Long.rotateLeft(tail, 29) ^ n) * 0x9E3779B97F4A7C15L;
      h = (h ^ h >>> 31) * 0xBF58476D1CE4E5B9L; // every byte reaches the top bits, whichever differs
      int slot = (int) (h >>> shift);
      Entry e = table[slot]; // a racy read of an immutable entry: at worst a miss
      if (e != null && e.head() == head && e.tail() == tail && e.length() == n
          && (n <= SHORT || Arrays.equals(e.bytes(), 0, n, b, from, to))) {
        return e.text();
      }
      String text = new String(b, from, n, StandardCharsets.ISO_8859_1); // ASCII: a byte a char
      if (intern) {
        text = text.intern();
      }
      table[slot] = new Entry(head, tail, n, n <= SHORT ? null : Arrays.copyOfRange(b, from, to), text);
      return text;
    }

    /** {@code length} (0 to 8) bytes from {@code at} as a little-endian long, zero above them. */
    private static long word(byte[] b, int at, int length) {
      if (at + Long.BYTES <= b.length) {
        long w = (long) LONGS.get(b, at);
        return length == Long.BYTES ? w : w & ((1L << (length << 3)) - 1);
      }
      long w = 0;
      for (int i = length - 1; i >= 0; i--) {
        w = w << 8 | (b[at + i] & 0xFF);
      }
      return w;
    }
  }
}
