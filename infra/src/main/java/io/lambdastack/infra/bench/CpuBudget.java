package io.lambdastack.infra.bench;

import java.util.List;

/**
 * The goal's rate as CPU per record, against what each part of a record's work costs, measured apart in the same run.
 * Two cores give a 1 s batch 2 s of CPU: at the goal's rate that is {@code 2 / rate} per record, whatever Spark does.
 * Reading (the read floor's stages), parsing and folding (one thread, in memory) and the states and outputs (the
 * job's stages after the shuffle, at its knee) each take CPU of those cores; their sum over the budget rules the goal
 * out for this per-event work even with no scheduling, no waiting and no GC, which all come on top.
 *
 * @param goalRate   records/s the goal asks for (half of ConsumerPerformance's rate)
 * @param readUs     CPU per record of reading alone (Spark's direct stream, the read floor)
 * @param parseFoldUs CPU per record of parsing and folding, one thread outside Spark
 * @param statesUs   CPU per record of the job's stages other than its read, parse and fold, at the sustainable step
 * @param jobReadFoldUs CPU per record of the job's own read, parse and fold stage at that step (for comparison)
 */
record CpuBudget(double goalRate, double readUs, double parseFoldUs, double statesUs, double jobReadFoldUs) {
  /** The call site of the job's read, parse and fold stage; every other stage is states and outputs. */
  static final String READ_FOLD_SITE = "MicroBatchFold";

  /** Microseconds of CPU per record two cores have at the goal's rate. */
  double budgetUs() {
    return 2e6 / goalRate;
  }

  /** The parts measured apart, added. */
  double partsUs() {
    return readUs + parseFoldUs + statesUs;
  }

  static CpuBudget of(double goalRate, SustainableRate.Step readFloor, double parseFoldRate, SustainableRate.Step knee) {
    double read = cpuPerRecordUs(readFloor, readFloor.stages());
    List<StageTimes.PerBatch> jobStages = knee.stages();
    double readFold = cpuPerRecordUs(knee, jobStages.stream().filter(s -> s.site().contains(READ_FOLD_SITE)).toList());
    double states = cpuPerRecordUs(knee, jobStages.stream().filter(s -> !s.site().contains(READ_FOLD_SITE)).toList());
    return new CpuBudget(goalRate, read, 1e6 / parseFoldRate, states, readFold);
  }

  /** The stages' CPU per batch over the step's mean records per batch, in microseconds. */
  static double cpuPerRecordUs(SustainableRate.Step step, List<StageTimes.PerBatch> stages) {
    double records = step.measured().stream().mapToLong(BatchTimes.Batch::records).average().orElse(Double.NaN);
    double cpuMs = stages.stream().mapToDouble(StageTimes.PerBatch::cpuMs).sum();
    return cpuMs * 1000 / records;
  }

  String line() {
    double parts = partsUs();
    return String.format("%.2f µs of CPU a record on 2 cores; measured apart: reading %.2f + parsing and folding %.2f + states and "
            + "outputs %.2f = %.2f µs, %.2f x the budget%s (the job's own read, parse and fold: %.2f)", budgetUs(), readUs, parseFoldUs,
        statesUs, parts, parts / budgetUs(), parts > budgetUs() ? ": out of reach before any scheduling, waiting or GC" : "",
        jobReadFoldUs);
  }
}
