package io.lambdastack.ingestion.generator;

import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/** Deliberately broken versions of an event, for exercising the validator's dead-letter path. */
public final class MalformedRecords {
  private MalformedRecords() {}

  public static byte[] corrupt(Event e, Random random) {
    String json = new String(EventJson.toBytes(e), StandardCharsets.UTF_8);
    return switch (random.nextInt(6)) {
      case 0 -> Arrays.copyOf(json.getBytes(StandardCharsets.UTF_8), json.length() / 2); // truncated
      case 1 -> json.replaceFirst("\"ts\":-?\\d+", "\"ts\":\"sometime\"").getBytes(StandardCharsets.UTF_8);
      case 2 -> json.replaceFirst("\"id\":\"[^\"]*\",", "").getBytes(StandardCharsets.UTF_8); // missing id
      case 3 -> ("[" + json + "]").getBytes(StandardCharsets.UTF_8); // not an object
      case 4 -> new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}; // invalid UTF-8
      default -> json.replaceFirst("\"temperature\":[-0-9.E]+", "\"temperature\":1e999").getBytes(StandardCharsets.UTF_8);
    };
  }
}
