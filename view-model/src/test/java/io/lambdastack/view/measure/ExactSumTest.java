package io.lambdastack.view.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The whole-number fast path changes nothing: sums equal BigDecimal's, through merges, overflow and the codec. */
class ExactSumTest {
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
}
