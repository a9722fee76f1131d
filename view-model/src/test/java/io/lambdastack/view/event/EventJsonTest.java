package io.lambdastack.view.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EventJsonTest {
  @Test
  void parsesAttributesValuesAndEpochMillis() throws Exception {
    Event e = EventJson.parse(bytes("{\"id\":\"r1\",\"ts\":1700000000000,\"sensorId\":\"s-1\",\"temperature\":21.5,\"ok\":true,\"x\":null}"));
    assertThat(e).isEqualTo(new Event("r1", 1700000000000L, Map.of("sensorId", "s-1", "ok", "true"), Map.of("temperature", 21.5)));
  }

  @Test
  void isoTimestampsAreNormalizedToUtcMillis() throws Exception {
    assertThat(EventJson.parse(bytes("{\"id\":1,\"ts\":\"2024-01-01T01:00:00+01:00\"}")).eventTime())
        .isEqualTo(EventJson.parse(bytes("{\"id\":1,\"ts\":\"2024-01-01T00:00:00Z\"}")).eventTime())
        .isEqualTo(1704067200000L);
  }

  @Test
  void roundTrips() throws Exception {
    Event e = new Event("a", -5, Map.of("k", "v"), Map.of("n", 1.25));
    assertThat(EventJson.parse(EventJson.toBytes(e))).isEqualTo(e);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"ts\":1}                          | missing field id",
      "{\"id\":\"a\"}                      | missing field ts",
      "{\"id\":\"a\",\"ts\":\"yesterday\"} | ts is neither ISO-8601 nor epoch millis",
      "{\"id\":\"a\",\"ts\":1.5}           | ts is neither ISO-8601 nor epoch millis",
      "[1,2]                               | not a JSON object",
      "{\"id\":\"a\",\"ts\":1,\"t\":[1]}   | field t is an array; events are flat JSON objects",
      "{\"id\":\"a\",\"ts\":1,\"t\":1e999} | value of t is not a finite number",
      "{\"id\":\"a\",\"ts\":1,\"ts\":2}    | duplicate field ts",
      "{\"id\":\"a\",\"ts\":1} x           | trailing content after the JSON object",
      "{\"id\":\"\",\"ts\":1}              | id is not a non-empty string or integer",
      "{\"id\":1,\"ts\":\"+300000000-01-01T00:00:00Z\"} | ts is neither ISO-8601 nor epoch millis",
      "{\"id\":1,\"ts\":9223372036854775807} | ts out of range (must lie in 1900-01-01..2200-01-01 UTC as epoch millis)",
  })
  void rejectsWithAPreciseReason(String json, String reason) {
    assertThatThrownBy(() -> EventJson.parse(bytes(json))).isInstanceOf(EventFormatException.class).hasMessage(reason);
  }

  @Test
  void aByteOutsideAsciiIsFoundAtEveryPositionOfTheEightByteScan() {
    for (int length = 0; length <= 20; length++) {
      byte[] ascii = new byte[length];
      java.util.Arrays.fill(ascii, (byte) 'a');
      assertThat(EventJson.isAscii(ascii)).as("length %d", length).isTrue();
      for (int at = 0; at < length; at++) {
        byte[] withHighBit = ascii.clone();
        withHighBit[at] = (byte) 0xC3;
        assertThat(EventJson.isAscii(withHighBit)).as("length %d, at %d", length, at).isFalse();
      }
    }
  }

  @Test
  void rejectsInvalidUtf8AndGarbage() {
    assertThatThrownBy(() -> EventJson.parse(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'})).hasMessage("invalid UTF-8");
    assertThatThrownBy(() -> EventJson.parse(new byte[0])).hasMessage("empty payload");
    assertThatThrownBy(() -> EventJson.parse(bytes("{\"id\":"))).hasMessageStartingWith("malformed JSON");
  }

  @Test
  void readsUnicodeAndManyFieldsAndFindsADuplicateAmongThem() throws EventFormatException {
    Event e = EventJson.parse(bytes("{\"id\":\"é-1\",\"ts\":1,\"city\":\"Zürich ☃\",\"t\":-0.5}"));
    assertThat(e.id()).isEqualTo("é-1");
    assertThat(e.attributes()).containsEntry("city", "Zürich ☃");
    assertThat(e.values()).containsEntry("t", -0.5);
    StringBuilder many = new StringBuilder("{\"id\":\"a\",\"ts\":1");
    for (int i = 0; i < 40; i++) {
      many.append(",\"f").append(i).append("\":").append(i % 2 == 0 ? "\"s\"" : String.valueOf(i));
    }
    assertThat(EventJson.parse(bytes(many + "}")).attributes()).hasSize(20);
    assertThat(EventJson.parse(bytes(many + "}")).values()).hasSize(20);
    assertThatThrownBy(() -> EventJson.parse(bytes(many + ",\"f3\":1}"))).hasMessage("duplicate field f3");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
