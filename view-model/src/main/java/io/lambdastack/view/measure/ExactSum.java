package io.lambdastack.view.measure;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * An exact sum of doubles and how many were added. Floating-point addition is not associative, so a
 * double sum would depend on how events were split into micro-batches or partitions; {@code new
 * BigDecimal(double)} is exact and BigDecimal addition is associative, so speed and batch agree to the bit.
 *
 * <p>No BigDecimal per value (profiled: it was a fifth of the batch fold and a third of the speed layer's
 * per-event work): whole numbers (counts, delays in minutes, distances) are summed in a {@code long}, other
 * values in a {@link BinarySum} (exact fixed point over the double range). A long that would overflow, and
 * sums read back from the codec, go to the BigDecimal. The sum is {@link #exact()}: their total, in its
 * shortest form, so equal sums encode to equal bytes however the values were split and merged.
 */
public final class ExactSum implements Serializable {
  private static final double LONG_EXACT = 0x1p53; // below it, every whole double is exactly a long
  BigDecimal sum = BigDecimal.ZERO;
  long whole;
  /** Created at the first value that is not a whole number. */
  BinarySum fractions;
  long n;

  /**
   * Adds a finite value. The measures skip absent and non-finite values before they get here; a NaN or an
   * infinity would fall outside the fixed point's words and corrupt the sum without a sign, so it is refused.
   */
  public void add(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("an exact sum takes finite values only, not " + value);
    }
    if (value == Math.rint(value) && Math.abs(value) < LONG_EXACT) {
      addWhole((long) value);
    } else {
      fractions().add(value);
    }
    n++;
  }

  private BinarySum fractions() {
    if (fractions == null) {
      fractions = new BinarySum();
    }
    return fractions;
  }

  private void addWhole(long value) {
    long r = whole + value;
    if (((whole ^ r) & (value ^ r)) < 0) { // overflow: move the long into the BigDecimal
      sum = sum.add(BigDecimal.valueOf(whole));
      r = value;
    }
    whole = r;
  }

  public void merge(ExactSum other) {
    sum = sum.add(other.sum);
    addWhole(other.whole);
    if (other.fractions != null) {
      fractions().merge(other.fractions);
    }
    n += other.n;
  }

  public ExactSum copy() {
    ExactSum c = new ExactSum();
    c.sum = sum;
    c.whole = whole;
    c.fractions = fractions == null ? null : fractions.copy();
    c.n = n;
    return c;
  }

  /** The exact sum of every value added. */
  public BigDecimal exact() {
    BigDecimal total = whole == 0 ? sum : sum.add(BigDecimal.valueOf(whole));
    if (fractions != null) {
      total = total.add(fractions.exact());
    }
    return total.signum() == 0 ? BigDecimal.ZERO : total.stripTrailingZeros();
  }

  /** How many values were added. */
  public long count() {
    return n;
  }

  Double total() {
    return n == 0 ? null : exact().doubleValue();
  }

  Double mean() {
    return n == 0 ? null : exact().divide(BigDecimal.valueOf(n), MathContext.DECIMAL128).doubleValue();
  }

  void write(DataOutput out) throws IOException {
    BigDecimal sum = exact();
    out.writeLong(n);
    out.writeInt(sum.scale());
    byte[] unscaled = sum.unscaledValue().toByteArray();
    out.writeInt(unscaled.length);
    out.write(unscaled);
  }

  static ExactSum read(DataInput in) throws IOException {
    ExactSum s = new ExactSum();
    s.n = in.readLong();
    int scale = in.readInt();
    byte[] unscaled = new byte[in.readInt()];
    in.readFully(unscaled);
    s.sum = new BigDecimal(new BigInteger(unscaled), scale);
    return s;
  }
}
