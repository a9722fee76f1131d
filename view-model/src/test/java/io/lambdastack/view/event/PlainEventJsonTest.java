package io.lambdastack.view.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast path of event parsing against Jackson's full parse: for every input, {@link EventJson#parse} gives the
 * same event, or the same error, as {@link EventJson#parseFully}. Random events mix the common shapes with every
 * shape the fast path must leave to Jackson.
 */
class PlainEventJsonTest {
  private static final String[] IDS = {"\"r-1\"", "42", "-7", "0", "\"\"", "\"  \"", "1.5", "null", "007", "1e2", "\"x\\ny\"",
      "12345678901234567890123", "true"};
  private static final String[] TIMES = {"1704067200000", "-5", "0", "-0", "\"2024-01-01T00:00:00Z\"", "1.5", "99999999999999999999",
      "999999999999999999", "7258118400000", "7258118399999", "-2208988800001", "-2208988800000", "null", "\"soon\"", "1704067200000x",
      "01704067200000", "1704067200000.0", "1704067200000e3", "-1704067200000", "-", "1000000000000000000", "-999999999999999999"};
  private static final String[] VALUES = {"-3.25", "0", "7", "-12", "0.1", "123456789012345", "1234567890123456", "1.0000000000001",
      "1e3", "1.5E-2", "-0", "-0.0", "0.0", "00", "01.5", "1.", ".5", "+1", "NaN", "true", "false", "null", "\"text\"", "\"\"", "\" \"",
      "\"a\\\"b\"", "\"tab\\tx\"", "\"\\u0041\"", "[1]", "{\"a\":1}", "tru", "falsey", "\"unterminated", "9007199254740993",
      "0.30000000000000004", "\"sensor-007\"", "2-", "1.5.5"};
  private static final String[] NAMES = {"sensorId", "site", "temperature", "type", "humidity", "id", "ts", "a\\u0062", "n"};
  private static final String[] SPACE = {"", "", "", " ", "\n", "\t", " \r\n "};

  @Test
  void everyInputReadsAsJacksonReadsItAndTheCommonCaseTakesTheFastPath() {
    Random random = new Random(20261125);
    int fast = 0;
    int events = 0;
    for (int n = 0; n < 200_000; n++) {
      byte[] json = randomEvent(random).getBytes(StandardCharsets.UTF_8);
      Object expected = outcome(() -> EventJson.parseFully(json));
      Object actual = outcome(() -> EventJson.parse(json));
      assertThat(actual).as(new String(json, StandardCharsets.UTF_8)).isEqualTo(expected);
      if (expected instanceof Event e) {
        events++;
        assertThat(bits(e)).as("exact doubles, signs included: %s", new String(json, StandardCharsets.UTF_8)).isEqualTo(bits((Event) actual));
        if (PlainEventJson.tryParse(json) != null) {
          fast++;
        }
      }
    }
    assertThat(events).isGreaterThan(20_000);
    assertThat(fast).as("events read by the fast path, of %d", events).isGreaterThan(events / 4);
  }

  /**
   * Names are first compared with the last event's at the same place: events alike, then names that differ from the
   * predicted one in a byte, by a suffix, by an escape or by a space, must still read as Jackson reads them; so must
   * events of two shapes parsed by two threads at once (each thread's prediction then mostly the other's).
   */
  @Test
  void namesPredictedFromTheLastEventReadAsJacksonReadsThem() throws Exception {
    String alike = "{\"id\":\"a-1\",\"ts\":1704067200000,\"sensorId\":\"s-1\",\"site\":\"north\",\"temperature\":21.5}";
    List<String> inputs = List.of(alike, alike,
        alike.replace("\"sensorId\"", "\"sensorIx\""),
        alike, alike.replace("\"id\"", "\"idx\""),
        alike, alike.replace("\"site\"", "\"sit\\u0065\""),
        alike, alike.replace("\"site\":", "\"site\" :"),
        alike, alike.replace("\"site\"", "\"site "),
        alike, alike.replace(",\"temperature\":21.5", ""),
        alike, alike.replace("}", ",\"temperature\":3}"),
        alike, alike.replace("\"site\"", "\"sensorId\""),
        // Names compared as words: a name differing only in its second word, past sixteen bytes, or at the input's end.
        alike, alike.replace("\"temperature\"", "\"temperaturf\""),
        alike.replace("\"temperature\"", "\"temperature_celsius\""), alike.replace("\"temperature\"", "\"temperature_celsiux\""),
        alike.replace("\"temperature\"", "\"temperature_celsius\""), alike.replace("\"temperature\"", "\"temperature_celsiu\""),
        alike, "{\"id\":\"a-1\",\"ts\":1704067200000,\"sensorId\":\"s-1\",\"site\":\"north\",\"temperature\":2}",
        "{\"id\":\"a-1\",\"ts\":1704067200000,\"sensorId\":\"s-1\",\"site\":\"north\",\"temperature\"",
        "{\"id\":\"a-1\",\"ts\":1704067200000,\"sensorId\":\"s-1\",\"site\":\"north\",\"temperatur");
    for (String input : inputs) {
      byte[] json = input.getBytes(StandardCharsets.UTF_8);
      assertThat(outcome(() -> EventJson.parse(json))).as(input).isEqualTo(outcome(() -> EventJson.parseFully(json)));
    }
    // The prediction is used: a repeated event names its fields as predicted, so no new shape is recorded.
    byte[] repeated = alike.getBytes(StandardCharsets.UTF_8);
    EventJson.parse(repeated);
    Object shape = PlainEventJson.lastShape();
    EventJson.parse(repeated);
    assertThat(PlainEventJson.lastShape()).isSameAs(shape);
    String other = "{\"ts\":1704067200000,\"id\":7,\"flight\":\"LH400\",\"route\":\"FRA|JFK\",\"delay\":-3.25,\"ok\":true}";
    java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<Integer>> runs = new ArrayList<>();
      for (String input : List.of(alike, other)) {
        runs.add(two.submit(() -> {
          byte[] json = input.getBytes(StandardCharsets.UTF_8);
          Object expected = outcome(() -> EventJson.parseFully(json));
          int same = 0;
          for (int i = 0; i < 200_000; i++) {
            same += outcome(() -> EventJson.parse(json)).equals(expected) ? 1 : 0;
          }
          return same;
        }));
      }
      for (java.util.concurrent.Future<Integer> run : runs) {
        assertThat(run.get()).isEqualTo(200_000);
      }
    } finally {
      two.shutdown();
    }
  }

  /** For the views: every input reads as {@link EventJson#parse} reads it, or fails as it does; only the id is left out. */
  @Test
  void readForTheViewsEveryInputGivesParsesEventOrErrorWithoutTheFastPathsIds() {
    Random random = new Random(20261206);
    int withoutId = 0;
    for (int n = 0; n < 100_000; n++) {
      byte[] json = randomEvent(random).getBytes(StandardCharsets.UTF_8);
      Object expected = outcome(() -> EventJson.parse(json));
      Object actual = outcome(() -> EventJson.parseForViews(json));
      String as = new String(json, StandardCharsets.UTF_8);
      if (expected instanceof Event e && actual instanceof Event a) {
        boolean fast = PlainEventJson.tryParse(json) != null;
        assertThat(a.id()).as(as).isEqualTo(fast ? Event.NO_ID : e.id());
        assertThat(new Event(e.id(), a.eventTime(), a.attributes(), a.values())).as(as).isEqualTo(e);
        assertThat(bits(a)).as(as).isEqualTo(bits(e));
        withoutId += fast ? 1 : 0;
      } else {
        assertThat(actual).as(as).isEqualTo(expected);
      }
    }
    assertThat(withoutId).isGreaterThan(10_000);
  }

  /**
   * A value read where a Kafka consumer fetched it, a slice of a larger buffer between bytes of any kind (quotes,
   * digits, braces, high bytes), reads as its own array does, or fails as it does; so does a buffer without an
   * accessible array (direct or read-only), which is copied. No byte outside the slice is read as the event's.
   */
  @Test
  void aValueInALargerBufferReadsAsItsOwnBytesDo() {
    Random random = new Random(20261207);
    byte[] junk = "\"}{0123456789 ,:e.-\\tf\u00e9".getBytes(StandardCharsets.UTF_8);
    int fast = 0;
    for (int n = 0; n < 100_000; n++) {
      byte[] json = randomEvent(random).getBytes(StandardCharsets.UTF_8);
      int before = random.nextInt(20);
      int after = random.nextInt(20);
      byte[] around = new byte[before + json.length + after];
      for (int i = 0; i < around.length; i++) {
        around[i] = junk[random.nextInt(junk.length)];
      }
      System.arraycopy(json, 0, around, before, json.length);
      // Sliced (offset in the array) or positioned inside it; a buffer that is not the fast path's starting point.
      java.nio.ByteBuffer value = random.nextBoolean() ? java.nio.ByteBuffer.wrap(around, before, json.length).slice()
          : java.nio.ByteBuffer.wrap(around, before, json.length);
      String as = new String(json, StandardCharsets.UTF_8);
      Object expected = outcome(() -> EventJson.parseForViews(json));
      if (random.nextBoolean()) { // another event's shape predicted: the slice's names then mispredicted
        byte[] other = randomEvent(random).getBytes(StandardCharsets.UTF_8);
        outcome(() -> EventJson.parseForViews(other));
      }
      assertReadsAndLeavesAlone(value, expected, as);
      // The slice's fast path accepts exactly what the array's does, with the same event (not the copy's path).
      Event inPlace = PlainEventJson.tryParse(around, before, json.length, false);
      Event own = PlainEventJson.tryParse(json, false);
      assertThat(inPlace).as(as).isEqualTo(own);
      if (own != null) {
        assertThat(bits(inPlace)).as(as).isEqualTo(bits(own));
        fast++;
      }
      if (n % 10 == 0) {
        assertReadsAndLeavesAlone(java.nio.ByteBuffer.allocateDirect(json.length).put(json).flip(), expected, as);
        assertReadsAndLeavesAlone(value.asReadOnlyBuffer(), expected, as);
      }
    }
    assertThat(fast).isGreaterThan(5_000);
    assertThat(outcome(() -> EventJson.parseForViews((java.nio.ByteBuffer) null))).isEqualTo(outcome(() -> EventJson.parseForViews((byte[]) null)));
    assertThat(outcome(() -> EventJson.parseForViews(java.nio.ByteBuffer.allocate(0)))).isEqualTo(outcome(() -> EventJson.parseForViews(new byte[0])));
  }

  /** The buffer reads as expected, with the same doubles, and its position and limit are as they were. */
  private static void assertReadsAndLeavesAlone(java.nio.ByteBuffer value, Object expected, String as) {
    int position = value.position();
    int limit = value.limit();
    Object actual = outcome(() -> EventJson.parseForViews(value));
    assertThat(actual).as(as).isEqualTo(expected);
    if (expected instanceof Event e) {
      assertThat(bits((Event) actual)).as(as).isEqualTo(bits(e));
    }
    assertThat(List.of(value.position(), value.limit())).as(as).isEqualTo(List.of(position, limit));
  }

  /**
   * {@link EventJson#parse} tries the fast path before any check of the bytes: it relies on the fast path reading
   * ASCII only, so a byte of 0x80 or more anywhere (in a string, a name, a number, between tokens) sends the input
   * to the strict UTF-8 check and Jackson. Every position of a fast-path event, with every kind of high byte.
   */
  @Test
  void aByteOutsideAsciiAnywhereLeavesTheFastPath() {
    byte[] event = ("{\"id\":\"s-1\", \"ts\":1704067200000,\"sensorId\":\"sensor-001\",\"temperature\":21.53,"
        + "\"ok\":true}").getBytes(StandardCharsets.US_ASCII);
    assertThat(PlainEventJson.tryParse(event)).isNotNull();
    for (int at = 0; at <= event.length; at++) {
      for (int high : new int[] {0x80, 0xA0, 0xC3, 0xE2, 0xFF}) {
        byte[] replaced = event.clone();
        if (at < event.length) {
          replaced[at] = (byte) high;
          assertThat(PlainEventJson.tryParse(replaced)).as("0x%X at %d", high, at).isNull();
        }
        byte[] inserted = new byte[event.length + 1];
        System.arraycopy(event, 0, inserted, 0, at);
        inserted[at] = (byte) high;
        System.arraycopy(event, at, inserted, at + 1, event.length - at);
        assertThat(PlainEventJson.tryParse(inserted)).as("0x%X inserted at %d", high, at).isNull();
      }
    }
  }

  @Test
  void aSensorEventTakesTheFastPathWithInternedNames() throws EventFormatException {
    byte[] json = ("{\"id\":\"sensor-001-1704067200000\",\"ts\":1704067200000,\"sensorId\":\"sensor-001\",\"site\":\"north\","
        + "\"temperature\":21.53,\"humidity\":40}").getBytes(StandardCharsets.US_ASCII);
    Event plain = PlainEventJson.tryParse(json);
    assertThat(plain).isNotNull().isEqualTo(EventJson.parseFully(json));
    for (String name : plain.attributes().keySet()) {
      assertThat(name).isSameAs(name.intern());
    }
    assertThat(plain.values().keySet()).allSatisfy(name -> assertThat(name).isSameAs(name.intern()));
  }

  @Test
  void shortAttributeValuesComeAsTheSameStringEachTimeAndLongOnesAsEqualOnes() throws EventFormatException {
    String longValue = "x".repeat(PlainEventJson.MAX_SHARED_VALUE + 1);
    String shortValue = "y".repeat(PlainEventJson.MAX_SHARED_VALUE);
    byte[] json = ("{\"id\":\"e1\",\"ts\":1,\"sensorId\":\"sensor-001\",\"note\":\"" + longValue + "\",\"tag\":\"" + shortValue
        + "\"}").getBytes(StandardCharsets.US_ASCII);
    Event first = PlainEventJson.tryParse(json);
    Event second = PlainEventJson.tryParse(json.clone());
    assertThat(first).isEqualTo(EventJson.parseFully(json)).isEqualTo(second);
    assertThat(second.attributes().get("sensorId")).isSameAs(first.attributes().get("sensorId"));
    assertThat(second.attributes().get("tag")).isSameAs(first.attributes().get("tag")).isEqualTo(shortValue);
    assertThat(second.attributes().get("note")).isNotSameAs(first.attributes().get("note")).isEqualTo(longValue);
    assertThat(first.attributes().get("sensorId")).isNotSameAs("sensor-001"); // shared, not interned: the JVM's table does not grow with values
  }

  @Test
  void recentTextsTellApartTextsThatDifferInAnyByteWhereverTheyStand() {
    PlainEventJson.RecentTexts texts = new PlainEventJson.RecentTexts(16, false); // small: collisions happen
    for (int length = 0; length <= 40; length++) {
      for (int change = -1; change < length; change++) {
        byte[] text = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH".substring(0, length).getBytes(StandardCharsets.US_ASCII);
        if (change >= 0) {
          text[change] = '-';
        }
        String expected = new String(text, StandardCharsets.US_ASCII);
        for (int before = 0; before <= Long.BYTES; before++) {
          String first = null;
          for (int after : new int[] {0, 1, 9, 17}) { // at the array's end (read byte by byte) and inside it (read as longs)
            byte[] b = new byte[before + length + after];
            System.arraycopy(text, 0, b, before, length);
            java.util.Arrays.fill(b, before + length, b.length, (byte) 'z');
            java.util.Arrays.fill(b, 0, before, (byte) 'y');
            String read = texts.of(b, before, before + length);
            assertThat(read).as("%s at %d, %d after", expected, before, after).isEqualTo(expected);
            assertThat(texts.of(b.clone(), before, before + length)).isSameAs(read);
            if (first != null) {
              assertThat(read).as("%s at %d, %d after: the same text as inside the array", expected, before, after).isSameAs(first);
            }
            first = read;
          }
        }
      }
    }
  }

  @Test
  void eventsOfManyFieldsReadAsJacksonReadsThem() throws EventFormatException {
    for (int fields : new int[] {9, 14, 15, 30}) { // 14 + id + ts = 16, the fast path's most; then Jackson's
      StringBuilder json = new StringBuilder("{\"id\":\"m\",\"ts\":1");
      for (int i = 0; i < fields; i++) {
        json.append(",\"f").append(i).append("\":").append(i % 2 == 0 ? "\"t" + i + "\"" : i + ".5");
      }
      byte[] bytes = json.append('}').toString().getBytes(StandardCharsets.US_ASCII);
      assertThat(EventJson.parse(bytes)).as("%d fields", fields).isEqualTo(EventJson.parseFully(bytes));
      assertThat(PlainEventJson.tryParse(bytes) != null).as("%d fields on the fast path", fields).isEqualTo(fields + 2 <= PlainEventJson.MAX_FIELDS);
    }
  }

  @Test
  void inputsBeyondJacksonsSizeLimitsAreLeftToIt() {
    String longId = "{\"id\":" + "1".repeat(1001) + ",\"ts\":0}"; // Jackson: a number of over 1,000 digits is an error
    String longText = "{\"id\":\"a\",\"ts\":0,\"s\":\"" + "x".repeat(PlainEventJson.MAX_BYTES) + "\"}";
    String twentyDigitId = "{\"id\":" + "9".repeat(20) + ",\"ts\":0}";
    for (String json : new String[] {longId, longText, twentyDigitId}) {
      byte[] bytes = json.getBytes(StandardCharsets.US_ASCII);
      assertThat(PlainEventJson.tryParse(bytes)).as(json.substring(0, 30)).isNull();
      assertThat(outcome(() -> EventJson.parse(bytes))).isEqualTo(outcome(() -> EventJson.parseFully(bytes)));
    }
    assertThat(outcome(() -> EventJson.parse(longId.getBytes(StandardCharsets.US_ASCII)))).asString().contains("exceeds the maximum length");
  }

  @Test
  void decimalsOfUpToFifteenDigitsAreTheCorrectlyRoundedDouble() throws EventFormatException {
    Random random = new Random(7);
    for (int n = 0; n < 100_000; n++) {
      int digits = 1 + random.nextInt(15);
      long mantissa = Math.abs(random.nextLong()) % (long) Math.pow(10, digits);
      int scale = random.nextInt(digits + 1);
      String text = new java.math.BigDecimal(java.math.BigInteger.valueOf(mantissa), scale).toPlainString();
      byte[] json = ("{\"id\":1,\"ts\":1,\"v\":" + text + "}").getBytes(StandardCharsets.US_ASCII);
      assertThat(EventJson.parse(json).values().get("v")).as(text).isEqualTo(Double.parseDouble(text));
    }
  }

  /**
   * An event written as the last one was, compactly, is read by comparing each field's separator, name and colon at
   * once; every change to such an event (a character changed, removed or added anywhere before its last byte, a
   * space, fields swapped, a value of another kind, one field fewer or more, bytes after the closing brace) must still
   * read as Jackson reads it, or fail as it does.
   */
  @Test
  void eventsWrittenAsTheLastOneWasReadAsJacksonReadsThemWhateverChanges() throws EventFormatException {
    String base = "{\"id\":\"sensor-005-1704067200000-5\",\"ts\":1704067200000,\"type\":\"reading\",\"site\":\"south\","
        + "\"sensorId\":\"sensor-005\",\"temperature\":6.75}";
    byte[] baseBytes = base.getBytes(StandardCharsets.US_ASCII);
    List<String> variants = new ArrayList<>(List.of(
        base.replace("6.75", "-3"), base.replace("\"south\"", "true"), base.replace("6.75", "\"warm\""),
        base.replace(",\"temperature\":6.75", ""), base.replace("}", ",\"humidity\":40}"),
        base.replace("\"site\":\"south\",\"sensorId\":\"sensor-005\"", "\"sensorId\":\"sensor-005\",\"site\":\"south\""),
        base.replace("\"type\":", "\"type\" :"), base.replace(",\"ts\"", ", \"ts\""), base + " ", " " + base,
        base.replace("\"site\":\"south\"", "\"site\":\"south\",\"site\":\"north\""),
        base.replace("\"id\":\"sensor-005-1704067200000-5\"", "\"id\":42"), base.replace("\"id\":\"sensor-005-1704067200000-5\"", "\"id\":\" \""),
        base.replace("\"ts\":1704067200000", "\"ts\":99999999999999999"), base.replace("\"temperature\"", "\"temperatura\""),
        base + "x", base + "}", base.replace("6.75}", "6.75 }")));
    Random random = new Random(20261206);
    byte[] specials = "{}[]:,\"\\ \t0-.eE9atfnx".getBytes(StandardCharsets.US_ASCII);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder changed = new StringBuilder(base);
      int at = random.nextInt(base.length());
      char c = random.nextInt(8) == 0 ? 'é' : (char) specials[random.nextInt(specials.length)]; // é: two bytes of UTF-8
      switch (random.nextInt(3)) {
        case 0 -> changed.setCharAt(at, c);
        case 1 -> changed.deleteCharAt(at);
        default -> changed.insert(at, c);
      }
      variants.add(changed.toString());
    }
    int compact = 0;
    for (String variant : variants) {
      EventJson.parse(baseBytes); // the shape is the base's
      assertThat(PlainEventJson.tryCompact(baseBytes)).as("the base itself is compact").isEqualTo(EventJson.parseFully(baseBytes));
      byte[] json = variant.getBytes(StandardCharsets.UTF_8);
      compact += PlainEventJson.tryCompact(json) != null ? 1 : 0;
      Object expected = outcome(() -> EventJson.parseFully(json));
      Object actual = outcome(() -> EventJson.parse(json));
      assertThat(actual).as(variant).isEqualTo(expected);
      if (expected instanceof Event e) {
        assertThat(bits((Event) actual)).as(variant).isEqualTo(bits(e));
      }
    }
    assertThat(compact).as("changed events still compact (a digit or letter of a value changed)").isGreaterThan(500);
  }

  private static String randomEvent(Random random) {
    List<String> fields = new ArrayList<>();
    if (random.nextInt(20) > 0) {
      fields.add(field("id", pick(random, IDS, 0.7), random));
    }
    if (random.nextInt(20) > 0) {
      fields.add(field("ts", pick(random, TIMES, 0.7), random));
    }
    int more = random.nextInt(6);
    for (int i = 0; i < more; i++) {
      String value = random.nextInt(3) == 0 ? pick(random, VALUES, 0.0) : randomPlainValue(random);
      fields.add(field(random.nextInt(4) == 0 ? pick(random, NAMES, 0.0) : "f" + i, value, random));
    }
    java.util.Collections.shuffle(fields, random);
    StringBuilder json = new StringBuilder(pick(random, SPACE, 0.0)).append('{');
    for (int i = 0; i < fields.size(); i++) {
      json.append(i > 0 ? "," : "").append(pick(random, SPACE, 0.0)).append(fields.get(i)).append(pick(random, SPACE, 0.0));
    }
    json.append('}').append(pick(random, SPACE, 0.0));
    switch (random.nextInt(40)) {
      case 0 -> json.append("x");
      case 1 -> json.append("{}");
      case 2 -> json.setLength(json.length() - 1);
      case 3 -> json.insert(json.length() / 2, "é");
      default -> { }
    }
    return json.toString();
  }

  private static String randomPlainValue(Random random) {
    return switch (random.nextInt(3)) {
      case 0 -> "\"v" + random.nextInt(100) + "\"";
      case 1 -> Long.toString(random.nextLong() % 1_000_000);
      default -> String.format(java.util.Locale.ROOT, "%." + random.nextInt(6) + "f", (random.nextDouble() - 0.5) * 200);
    };
  }

  private static String field(String name, String value, Random random) {
    return "\"" + name + "\"" + pick(random, SPACE, 0.0) + ":" + pick(random, SPACE, 0.0) + value;
  }

  /** The first entry with probability {@code first}, else any. */
  private static String pick(Random random, String[] choices, double first) {
    return random.nextDouble() < first ? choices[0] : choices[random.nextInt(choices.length)];
  }

  private interface Parse {
    Event run() throws EventFormatException;
  }

  /** The event, or the class and message of what was thrown. */
  private static Object outcome(Parse parse) {
    try {
      return parse.run();
    } catch (Exception e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  private static List<Long> bits(Event e) {
    return e.values().values().stream().map(Double::doubleToRawLongBits).sorted().toList();
  }
}
