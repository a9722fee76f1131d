package io.lambdastack.view.measure;

import io.lambdastack.view.definition.MeasureKind;
import io.lambdastack.view.definition.MeasureSpec;
import io.lambdastack.view.event.Event;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** sum(field) and mean(field) (= exact sum / count): events without the field are skipped. */
final class SumOrMean implements Measure<ExactSum> {
  private final MeasureSpec spec;

  SumOrMean(MeasureSpec spec) {
    this.spec = spec;
  }

  @Override public MeasureSpec spec() { return spec; }

  @Override public ExactSum zero() { return new ExactSum(); }

  @Override public ExactSum add(ExactSum s, Event e) {
    return addNumber(s, e.number(spec.field()));
  }

  @Override public String numberField() { return spec.field(); }

  @Override public ExactSum addNumber(ExactSum s, Double v) {
    if (v != null && Double.isFinite(v)) {
      s.add(v);
    }
    return s;
  }

  @Override public ExactSum merge(ExactSum a, ExactSum b) {
    a.merge(b);
    return a;
  }

  @Override public ExactSum copy(ExactSum s) { return s.copy(); }

  @Override public Object result(ExactSum s) {
    return spec.kind() == MeasureKind.MEAN ? s.mean() : s.total();
  }

  @Override public void write(ExactSum s, DataOutput out) throws IOException { s.write(out); }

  @Override public ExactSum read(DataInput in) throws IOException { return ExactSum.read(in); }
}
