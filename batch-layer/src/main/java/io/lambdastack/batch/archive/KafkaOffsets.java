package io.lambdastack.batch.archive;

import io.lambdastack.view.config.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** A topic's offsets per partition: the earliest retained, and the end of the committed transactions (LSO). */
public record KafkaOffsets(Map<Integer, Long> earliest, Map<Integer, Long> committedEnd) {

  public static KafkaOffsets of(String bootstrapServers, String topic) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    try (Admin admin = Admin.create(p)) {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(20, TimeUnit.SECONDS).get(topic);
      Map<TopicPartition, OffsetSpec> earliest = new java.util.HashMap<>();
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      d.partitions().forEach(info -> {
        earliest.put(new TopicPartition(topic, info.partition()), OffsetSpec.earliest());
        latest.put(new TopicPartition(topic, info.partition()), OffsetSpec.latest());
      });
      ListOffsetsOptions committed = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
      return new KafkaOffsets(byPartition(admin.listOffsets(earliest).all().get(20, TimeUnit.SECONDS)),
          byPartition(admin.listOffsets(latest, committed).all().get(20, TimeUnit.SECONDS)));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new ConfigException("topic " + topic + " does not exist on " + bootstrapServers);
      }
      throw new ConfigException("cannot read the offsets of " + topic + " from " + bootstrapServers + ": " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new ConfigException("no answer from Kafka at " + bootstrapServers + " within 20 s (is the broker running?)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Map<Integer, Long> byPartition(Map<TopicPartition, org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo> r) {
    Map<Integer, Long> m = new TreeMap<>();
    r.forEach((tp, info) -> m.put(tp.partition(), info.offset()));
    return m;
  }
}
