package io.lambdastack.infra.bench;

import java.util.List;
import java.util.Locale;

/**
 * The goal's rate as CPU per record, against what a record's work costs, from the same run. Two cores give a 1 s batch
 * 2 s of CPU: at the goal's rate that is {@code 2 / rate} per record, whatever Spark does. Set against it: the parts of
 * the work measured apart (reading: the read floor's stages; parsing and folding: one thread in memory; the states and
 * outputs: the job's stages after the shuffle), and the job's own CPU per record at its knee. Neither is a strict bound:
 * parts run apart share caches differently than in the job, and a job's CPU per record falls as its fixed costs spread
 * over more records. What the line shows is how far each is from the budget.
 *
 * @param goalRate      records/s the goal asks for (half of ConsumerPerformance's rate)
 * @param readRate      records/s of the read floor's step the reading was measured at
 * @param readUs        CPU per record of reading alone (Spark's direct stream, the read floor's stages)
 * @param parseFoldUs   time per record of parsing and folding on one thread outside Spark (best of 3; about its CPU)
 * @param kneeRate      records/s of the job's step the rest was measured at (its sustainable rate)
 * @param statesUs      CPU per record of the job's stages other than its read, parse and fold, at that step
 * @param jobReadFoldUs CPU per record of the job's own read, parse and fold stage at that step
 */
record CpuBudget(double goalRate, long readRate, double readUs, double parseFoldUs, long kneeRate, double statesUs,
    double jobReadFoldUs) {
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

  /** The job's own CPU per record at its knee: its read, parse and fold stage and the stages after it. */
  double jobUs() {
    return jobReadFoldUs + statesUs;
  }

  static CpuBudget of(double goalRate, SustainableRate.Step readFloor, double parseFoldRate, SustainableRate.Step knee) {
    double read = cpuPerRecordUs(readFloor, readFloor.stages());
    List<StageTimes.PerBatch> jobStages = knee.stages();
    double readFold = cpuPerRecordUs(knee, jobStages.stream().filter(s -> s.site().contains(READ_FOLD_SITE)).toList());
    double states = cpuPerRecordUs(knee, jobStages.stream().filter(s -> !s.site().contains(READ_FOLD_SITE)).toList());
    return new CpuBudget(goalRate, readFloor.rate(), read, 1e6 / parseFoldRate, knee.rate(), states, readFold);
  }

  /**
   * The stages' CPU per batch over the step's mean records per batch, in microseconds: the measured batches' CPU over
   * their records (a short last batch, as a graceful stop completes, counts in both).
   */
  static double cpuPerRecordUs(SustainableRate.Step step, List<StageTimes.PerBatch> stages) {
    double records = step.measured().stream().mapToLong(BatchTimes.Batch::records).average().orElse(Double.NaN);
    double cpuMs = stages.stream().mapToDouble(StageTimes.PerBatch::cpuMs).sum();
    return cpuMs * 1000 / records;
  }

  /** The budget and the parts measured apart. */
  String partsLine() {
    return String.format(Locale.ROOT, "%.2f µs of CPU a record on 2 cores; measured apart: reading %.2f (the read floor at %,d/s) + "
            + "parsing and folding %.2f (one thread) + states and outputs %.2f (the job at %,d/s) = %.2f µs, %.2f x the budget",
        budgetUs(), readUs, readRate, parseFoldUs, statesUs, kneeRate, partsUs(), partsUs() / budgetUs());
  }

  /** The job's own CPU per record at its knee, against the budget. */
  String jobLine() {
    return String.format(Locale.ROOT, "read, parse and fold %.2f + states and outputs %.2f = %.2f µs of CPU a record, %.2f x the "
        + "budget", jobReadFoldUs, statesUs, jobUs(), jobUs() / budgetUs());
  }
}
