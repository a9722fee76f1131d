package io.lambdastack.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdastack.ingestion.generator.SensorTemperatureGenerator;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.EventJson;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StampedEventsTest {
  static final ViewDefinition BY_SENSOR = ViewFile.parse("stamped-test", """
      views:
        - name: by_sensor
          source: sensor-readings
          key: [sensorId]
          bucket: 10s
          measures: [count]
      """).views().get(0);
  static final long TEMPLATE_TIME = 1_764_000_000_123L;

  @Test
  void aStampedEventIsTheGeneratedEventAtItsSendTime() throws Exception {
    StampedEvents stamped = new StampedEvents(new SensorTemperatureGenerator(20, 99), BY_SENSOR, 50, TEMPLATE_TIME);
    SensorTemperatureGenerator same = new SensorTemperatureGenerator(20, 99);
    for (int i = 0; i < 50; i++) {
      Event generated = same.next(TEMPLATE_TIME);
      long sendTime = TEMPLATE_TIME + 7_000 + i;
      assertThat(stamped.partitionKey()).isEqualTo(generated.attributes().get("sensorId"));
      assertThat(stamped.viewKey()).isEqualTo(BY_SENSOR.keyOf(generated));

      Event sent = EventJson.parse(stamped.take(sendTime));

      assertThat(sent.eventTime()).isEqualTo(sendTime);
      assertThat(sent.id()).isEqualTo(generated.id().replace(Long.toString(TEMPLATE_TIME), Long.toString(sendTime)));
      assertThat(sent.attributes()).isEqualTo(generated.attributes());
      assertThat(sent.values()).isEqualTo(generated.values());
    }
  }

  @Test
  void cyclesThroughItsEventsWithUniqueIdsAtDistinctMilliseconds() throws Exception {
    StampedEvents stamped = new StampedEvents(new SensorTemperatureGenerator(20, 99), BY_SENSOR, 3, TEMPLATE_TIME);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 9; i++) {
      ids.add(EventJson.parse(stamped.take(TEMPLATE_TIME + i)).id());
    }
    assertThat(ids).hasSize(9);
  }

  @Test
  void aTakenCopyIsNotChangedByTheNextStamp() throws Exception {
    StampedEvents stamped = new StampedEvents(new SensorTemperatureGenerator(20, 99), BY_SENSOR, 1, TEMPLATE_TIME);
    byte[] first = stamped.take(TEMPLATE_TIME + 1);
    stamped.take(TEMPLATE_TIME + 2);
    assertThat(EventJson.parse(first).eventTime()).isEqualTo(TEMPLATE_TIME + 1);
  }

  @Test
  void refusesATimeThatWouldNotFitInPlace() {
    StampedEvents stamped = new StampedEvents(new SensorTemperatureGenerator(20, 99), BY_SENSOR, 1, TEMPLATE_TIME);
    assertThatThrownBy(() -> stamped.take(99_999_999_999L)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("event time 99999999999 does not have 13 digits");
  }
}
