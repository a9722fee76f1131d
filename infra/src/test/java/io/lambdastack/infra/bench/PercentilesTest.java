package io.lambdastack.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PercentilesTest {
  @Test
  void aHistogramGivesTheNearestRanksOfTheSortedValues() {
    Random random = new Random(3);
    for (int round = 0; round < 200; round++) {
      int n = 1 + random.nextInt(5_000);
      long first = random.nextInt(2_000) - 100;
      long[] counts = new long[1 + random.nextInt(300)];
      long[] values = new long[n];
      for (int i = 0; i < n; i++) {
        int v = random.nextInt(counts.length);
        counts[v]++;
        values[i] = first + v;
      }
      long[] reference = values.clone();
      java.util.Arrays.sort(reference);
      Percentiles sorted = Percentiles.of(values.clone());
      Percentiles counted = Percentiles.ofHistogram(first, counts);
      assertThat(counted.size()).isEqualTo(n);
      assertThat(counted.sorted()).isEqualTo(reference);
      assertThat(sorted.sorted()).isEqualTo(reference);
      for (double q : new double[] {0.001, 0.5, 0.9, 0.95, 0.99, 1.0, random.nextDouble() + 1e-9}) {
        long expected = reference[Math.max(0, (int) Math.ceil(q * n) - 1)]; // nearest rank, by definition
        assertThat(counted.at(q)).as("q %s of %d", q, n).isEqualTo(expected);
        assertThat(sorted.at(q)).as("q %s of %d", q, n).isEqualTo(expected);
      }
    }
    assertThat(Percentiles.of(new long[0]).at(0.5)).isEqualTo(-1);
    assertThat(Percentiles.ofHistogram(5, new long[3]).at(0.5)).isEqualTo(-1);
  }
}
