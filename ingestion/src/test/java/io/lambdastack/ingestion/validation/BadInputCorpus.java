package io.lambdastack.ingestion.validation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Kinds of bad input, each with the exact reason the validator must give. Shared by unit tests and ITs. */
public final class BadInputCorpus {
  public record Case(String name, byte[] value, String reason) {}

  public static final int MAX_PAYLOAD_BYTES = 1024;

  private BadInputCorpus() {}

  public static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    c.add(new Case("empty payload", new byte[0], "empty payload"));
    c.add(new Case("null payload", null, "empty payload"));
    c.add(new Case("invalid UTF-8", new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, "invalid UTF-8"));
    c.add(new Case("lone continuation byte", new byte[] {'{', '"', (byte) 0x80, '"', '}'}, "invalid UTF-8"));
    c.add(text("plain text", "hello world", "malformed JSON: Unrecognized token 'hello': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"));
    c.add(text("JSON array", "[1,2,3]", "not a JSON object"));
    c.add(text("JSON string", "\"an event\"", "not a JSON object"));
    c.add(text("JSON number", "42", "not a JSON object"));
    c.add(text("JSON null", "null", "not a JSON object"));
    c.add(text("JSON true", "true", "not a JSON object"));
    c.add(text("truncated object", "{\"id\":\"a\",\"ts\":1", null));
    c.add(text("trailing comma", "{\"id\":\"a\",\"ts\":1,}", null));
    c.add(text("single quotes", "{'id':'a','ts':1}", null));
    c.add(text("unquoted keys", "{id:\"a\",ts:1}", null));
    c.add(text("NaN literal", "{\"id\":\"a\",\"ts\":1,\"t\":NaN}", null));
    c.add(text("trailing content", "{\"id\":\"a\",\"ts\":1} {\"id\":\"b\"}", "trailing content after the JSON object"));
    c.add(text("missing id", "{\"ts\":1,\"t\":2}", "missing field id"));
    c.add(text("missing ts", "{\"id\":\"a\",\"t\":2}", "missing field ts"));
    c.add(text("empty object", "{}", "missing field id"));
    c.add(text("blank id", "{\"id\":\"  \",\"ts\":1}", "id is not a non-empty string or integer"));
    c.add(text("boolean id", "{\"id\":true,\"ts\":1}", "id is not a non-empty string or integer"));
    c.add(text("float id", "{\"id\":1.5,\"ts\":1}", "id is not a non-empty string or integer"));
    c.add(text("object id", "{\"id\":{\"x\":1},\"ts\":1}", "id is not a non-empty string or integer"));
    c.add(text("ts word", "{\"id\":\"a\",\"ts\":\"yesterday\"}", "ts is neither ISO-8601 nor epoch millis"));
    c.add(text("ts float", "{\"id\":\"a\",\"ts\":1.5}", "ts is neither ISO-8601 nor epoch millis"));
    c.add(text("ts boolean", "{\"id\":\"a\",\"ts\":false}", "ts is neither ISO-8601 nor epoch millis"));
    c.add(text("ts date without time", "{\"id\":\"a\",\"ts\":\"2024-13-45\"}", "ts is neither ISO-8601 nor epoch millis"));
    c.add(text("ts beyond long", "{\"id\":\"a\",\"ts\":123456789012345678901234567890}", "ts is neither ISO-8601 nor epoch millis"));
    c.add(text("ts in microseconds", "{\"id\":\"a\",\"ts\":1704067200000000}", "ts out of range (must lie in 1900-01-01..2200-01-01 UTC as epoch millis)"));
    c.add(text("ts year 300 million", "{\"id\":\"a\",\"ts\":\"+300000000-01-01T00:00:00Z\"}", "ts is neither ISO-8601 nor epoch millis"));
    c.add(text("ts before 1900", "{\"id\":\"a\",\"ts\":\"1850-01-01T00:00:00Z\"}", "ts out of range (must lie in 1900-01-01..2200-01-01 UTC as epoch millis)"));
    c.add(text("ts null", "{\"id\":\"a\",\"ts\":null}", "ts is neither ISO-8601 nor epoch millis"));
    c.add(text("infinite value", "{\"id\":\"a\",\"ts\":1,\"t\":1e999}", "value of t is not a finite number"));
    c.add(text("nested object", "{\"id\":\"a\",\"ts\":1,\"geo\":{\"lat\":1}}", "field geo is an object; events are flat JSON objects"));
    c.add(text("array field", "{\"id\":\"a\",\"ts\":1,\"tags\":[\"x\"]}", "field tags is an array; events are flat JSON objects"));
    c.add(text("duplicate field", "{\"id\":\"a\",\"ts\":1,\"t\":1,\"t\":2}", "duplicate field t"));
    c.add(text("duplicate ts", "{\"id\":\"a\",\"ts\":1,\"ts\":2}", "duplicate field ts"));
    c.add(new Case("payload too large", ("{\"id\":\"a\",\"ts\":1,\"pad\":\"" + "x".repeat(MAX_PAYLOAD_BYTES) + "\"}")
        .getBytes(StandardCharsets.UTF_8), "payload over " + MAX_PAYLOAD_BYTES + " bytes"));
    return c;
  }

  /** reason null: any "malformed JSON: ..." reason (the parser's own words follow the prefix). */
  private static Case text(String name, String value, String reason) {
    return new Case(name, value.getBytes(StandardCharsets.UTF_8), reason);
  }

  public static boolean matches(Case c, String actualReason) {
    return c.reason() == null ? actualReason != null && actualReason.startsWith("malformed JSON: ") : c.reason().equals(actualReason);
  }
}
