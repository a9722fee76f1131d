package io.lambdastack.ingestion.generator;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdastack.view.event.EventFormatException;
import io.lambdastack.view.event.EventJson;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MalformedRecordsTest {
  @Test
  void everyCorruptedRecordIsRejectedByTheParser() {
    SensorTemperatureGenerator g = new SensorTemperatureGenerator(3, 1);
    Random random = new Random(5);
    for (int i = 0; i < 500; i++) {
      byte[] bad = MalformedRecords.corrupt(g.next(1_700_000_000_000L + i), random);
      assertThatThrownBy(() -> EventJson.parse(bad)).isInstanceOf(EventFormatException.class);
    }
  }
}
