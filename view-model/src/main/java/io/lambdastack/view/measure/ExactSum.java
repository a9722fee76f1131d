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
 */
final class ExactSum implements Serializable {
  BigDecimal sum = BigDecimal.ZERO;
  long n;

  void add(double value) {
    sum = sum.add(new BigDecimal(value));
    n++;
  }

  void merge(ExactSum other) {
    sum = sum.add(other.sum);
    n += other.n;
  }

  ExactSum copy() {
    ExactSum c = new ExactSum();
    c.sum = sum;
    c.n = n;
    return c;
  }

  Double total() {
    return n == 0 ? null : sum.doubleValue();
  }

  Double mean() {
    return n == 0 ? null : sum.divide(BigDecimal.valueOf(n), MathContext.DECIMAL128).doubleValue();
  }

  void write(DataOutput out) throws IOException {
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
