package io.lambdastack.view.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast paths change nothing: sums equal BigDecimal's, through merges, overflow and the codec. */
class ExactSumTest {
  @Test
  void refusesNonFiniteValuesInsteadOfCorruptingTheSum() {
    ExactSum sum = new ExactSum();
    sum.add(1.5);
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      assertThatThrownBy(() -> sum.add(bad)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
    }
    assertThat(sum.exact()).isEqualByComparingTo("1.5");
    assertThat(sum.count()).isEqualTo(1);
  }

  @Test
  void wholeAndFractionalValuesSumExactlyAcrossMergesAndTheCodec() throws IOException {
    Random random = new Random(7);
    ExactSum left = new ExactSum();
    ExactSum right = new ExactSum();
    BigDecimal expected = BigDecimal.ZERO;
    for (int i = 0; i < 20_000; i++) {
      double v = switch (random.nextInt(4)) {
        case 0 -> random.nextInt(2_000) - 1_000;            // whole: the long
        case 1 -> random.nextGaussian() * 100;              // fractional: the BigDecimal
        case 2 -> (random.nextBoolean() ? 1 : -1) * (0x1p53 - 1 - random.nextInt(10)); // whole, near the limit: overflows the long
        default -> 1e300 * random.nextDouble();             // whole but far beyond a long
      };
      expected = expected.add(new BigDecimal(v));
      (i % 3 == 0 ? left : right).add(v);
    }
    for (int i = 0; i < 2_000; i++) { // one sign only: the long must overflow and spill
      left.add(0x1p53 - 1);
      expected = expected.add(new BigDecimal(0x1p53 - 1));
    }
    left.merge(right);
    assertThat(left.exact()).isEqualByComparingTo(expected);
    assertThat(left.n).isEqualTo(22_000);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    left.write(new DataOutputStream(bytes));
    ExactSum read = ExactSum.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertThat(read.exact()).isEqualByComparingTo(expected);
    assertThat(read.total()).isEqualTo(expected.doubleValue());
  }

  @Test
  void fractionsAcrossTheWholeDoubleRangeSumExactly() {
    Random random = new Random(11);
    double[] edges = {Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, 0x1p-1022 - 0x1p-1074, Double.MAX_VALUE,
        -Double.MAX_VALUE, 0.1, -0.1, 21.37, 1e-300, 0.5, -0.0, 0x1p53 + 2, 1e16 + 0.0};
    ExactSum sum = new ExactSum();
    BigDecimal expected = BigDecimal.ZERO;
    for (int i = 0; i < 50_000; i++) {
      double v = i < edges.length ? edges[i] : switch (random.nextInt(3)) {
        case 0 -> Double.longBitsToDouble(random.nextLong()); // any bit pattern: every exponent, subnormals
        case 1 -> Math.round(random.nextGaussian() * 1_000) / 100.0; // readings with two decimals
        default -> -Math.round(random.nextDouble() * 1_000) / 100.0;
      };
      if (!Double.isFinite(v)) {
        continue;
      }
      expected = expected.add(new BigDecimal(v));
      sum.add(v);
    }
    assertThat(sum.exact()).isEqualByComparingTo(expected);
  }

  @Test
  void equalSumsEncodeToEqualBytesHoweverTheValuesWereSplit() throws IOException {
    Random random = new Random(3);
    double[] values = new double[5_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextBoolean() ? random.nextInt(100) : Math.round(random.nextGaussian() * 1_000) / 100.0;
    }
    ExactSum whole = new ExactSum();
    for (double v : values) {
      whole.add(v);
    }
    ExactSum merged = new ExactSum();
    for (int part = 0; part < 7; part++) { // parts encoded and decoded before the merge, as partials cross a shuffle
      ExactSum p = new ExactSum();
      for (int i = part; i < values.length; i += 7) {
        p.add(values[i]);
      }
      merged.merge(roundTrip(p));
    }
    assertThat(merged.exact()).isEqualByComparingTo(whole.exact());
    assertThat(bytes(merged)).isEqualTo(bytes(whole));
  }

  private static ExactSum roundTrip(ExactSum s) throws IOException {
    return ExactSum.read(new DataInputStream(new ByteArrayInputStream(bytes(s))));
  }

  private static byte[] bytes(ExactSum s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    s.write(new DataOutputStream(out));
    return out.toByteArray();
  }
}
