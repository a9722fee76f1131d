package io.lambdastack.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdastack.ingestion.kafka.EventPublisher;
import io.lambdastack.ingestion.kafka.TopicProvisioner.TopicSpec;
import io.lambdastack.view.kafka.CommittedRangeReader;
import io.lambdastack.view.kafka.TopicRange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The reader every Spark job reads Kafka with, on a real broker: a range, and a range the partition does not hold. */
@ExtendWith(SharedPlatform.class)
class CommittedRangeReaderIT {
  static final String TOPIC = "range-reader";

  @Test
  void readsARangeExactlyAndARangeBeyondThePartitionStaysRefused() throws Exception {
    String bootstrap = SharedPlatform.get().bootstrapServers();
    SharedPlatform.createTopics(List.of(TopicSpec.of(TOPIC, 1)));
    try (EventPublisher publisher = new EventPublisher(bootstrap, "range-reader-it")) {
      for (int i = 0; i < 5; i++) {
        publisher.sendRaw(TOPIC, "k", ("r" + i).getBytes(StandardCharsets.UTF_8));
      }
      publisher.flush();
    }
    List<CommittedRangeReader.Committed> read = CommittedRangeReader.readRange(new TopicRange(TOPIC, 0, 1, 4), bootstrap);
    assertThat(read).extracting(c -> new String(c.value(), StandardCharsets.UTF_8)).containsExactly("r1", "r2", "r3");
    assertThat(read).extracting(CommittedRangeReader.Committed::offset).containsExactly(1L, 2L, 3L);
    // Offsets 10..12 were never written: the broker refuses them, and so does the reader (a range lost to retention
    // is an error, never skipped).
    assertThatThrownBy(() -> CommittedRangeReader.readRange(new TopicRange(TOPIC, 0, 10, 12), bootstrap))
        .isInstanceOf(OffsetOutOfRangeException.class).hasMessageContaining(TOPIC + "-0");
  }
}
