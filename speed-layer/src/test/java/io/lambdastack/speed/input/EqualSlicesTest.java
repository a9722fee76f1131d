package io.lambdastack.speed.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdastack.view.kafka.TopicRange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EqualSlicesTest {
  private static TopicRange range(int partition, long from, long until) {
    return new TopicRange("t", partition, from, until);
  }

  private static long size(List<TopicRange> task) {
    return task.stream().mapToLong(r -> r.until() - r.from()).sum();
  }

  @Test
  void unevenPartitionsBecomeEqualTasks() {
    // The demo's shares: 45 / 35 / 20 % of a 230,000-record batch.
    List<TopicRange> batch = List.of(range(0, 1_000, 104_500), range(1, 500, 81_000), range(2, 0, 46_000));
    List<List<TopicRange>> tasks = EqualSlices.of(batch, 4, 10_000);
    assertThat(tasks).extracting(EqualSlicesTest::size).containsExactly(57_500L, 57_500L, 57_500L, 57_500L);
    assertThat(tasks.get(0)).containsExactly(range(0, 1_000, 58_500));
    assertThat(tasks.get(1)).containsExactly(range(0, 58_500, 104_500), range(1, 500, 12_000));
    assertThat(tasks.get(2)).containsExactly(range(1, 12_000, 69_500));
    assertThat(tasks.get(3)).containsExactly(range(1, 69_500, 81_000), range(2, 0, 46_000));
  }

  @Test
  void everyOffsetInExactlyOneTask() {
    List<TopicRange> batch = List.of(range(0, 7, 100_007), range(1, 0, 0), range(2, 3, 33_336), range(3, 0, 1));
    List<List<TopicRange>> tasks = EqualSlices.of(batch, 4, 10_000);
    assertThat(tasks).extracting(EqualSlicesTest::size).containsExactly(33_334L, 33_334L, 33_333L, 33_333L);
    List<TopicRange> pieces = new ArrayList<>();
    tasks.forEach(pieces::addAll);
    // Laid end to end, the pieces are the non-empty ranges again.
    assertThat(pieces).containsExactly(range(0, 7, 33_341), range(0, 33_341, 66_675), range(0, 66_675, 100_007),
        range(2, 3, 4), range(2, 4, 33_336), range(3, 0, 1));
  }

  @Test
  void smallBatchesGetFewerTasks() {
    assertThat(EqualSlices.of(List.of(range(0, 0, 25_000), range(1, 0, 9_000)), 4, 10_000)).hasSize(3);
    assertThat(EqualSlices.of(List.of(range(0, 0, 9_000), range(1, 0, 500)), 4, 10_000))
        .containsExactly(List.of(range(0, 0, 9_000), range(1, 0, 500)));
    assertThat(EqualSlices.of(List.of(range(0, 5, 5)), 4, 10_000)).isEmpty();
    assertThat(EqualSlices.of(List.of(), 4, 10_000)).isEmpty();
  }

  @Test
  void refusesNonPositiveSizes() {
    assertThatThrownBy(() -> EqualSlices.of(List.of(), 0, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EqualSlices.of(List.of(), 4, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
