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
 * <p>Whole numbers (counts, delays in minutes, distances) are summed in a {@code long}, exactly and without a
 * BigDecimal per event (profiled: that allocation was a fifth of the batch fold); the rest, and a long that
 * would overflow, go to the BigDecimal. The sum is {@link #exact()}: their total.
 */
final class ExactSum implements Serializable {
  private static final double LONG_EXACT = 0x1p53; // below it, every whole double is exactly a long
  BigDecimal sum = BigDecimal.ZERO;
  long whole;
  long n;

  void add(double value) {
    if (value == Math.rint(value) && Math.abs(value) < LONG_EXACT) {
      addWhole((long) value);
    } else {
      sum = sum.add(new BigDecimal(value));
    }
    n++;
  }

  private void addWhole(long value) {
    long r = whole + value;
    if (((whole ^ r) & (value ^ r)) < 0) { // overflow: move the long into the BigDecimal
      sum = sum.add(BigDecimal.valueOf(whole));
      r = value;
    }
    whole = r;
  }

  void merge(ExactSum other) {
    sum = sum.add(other.sum);
    addWhole(other.whole);
    n += other.n;
  }

  ExactSum copy() {
    ExactSum c = new ExactSum();
    c.sum = sum;
    c.whole = whole;
    c.n = n;
    return c;
  }

  /** The exact sum of every value added. */
  BigDecimal exact() {
    return whole == 0 ? sum : sum.add(BigDecimal.valueOf(whole));
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
