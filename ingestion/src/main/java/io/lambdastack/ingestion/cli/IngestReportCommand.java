package io.lambdastack.ingestion.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdastack.ingestion.validation.IngestReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lambda ingest-report}: raw, clean, dead-letter and duplicate counts, and whether they reconcile. */
@Command(name = "ingest-report", mixinStandardHelpOptions = true,
    description = "Count raw, clean, dead-letter and duplicate records (committed only); raw must equal the other three.")
public final class IngestReportCommand implements Callable<Integer> {
  @Mixin
  IngestTopics topics;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Override
  public Integer call() throws Exception {
    IngestReport.Counts c = IngestReport.count(topics.bootstrap(), topics.settings("report", "unused"));
    if (json) {
      System.out.println(new ObjectMapper().writeValueAsString(c.asMap()));
    } else {
      System.out.printf("raw          %,12d%nclean        %,12d%ndead-letter  %,12d%nduplicates   %,12d%n%s%n", c.raw(), c.clean(),
          c.deadLetter(), c.duplicates(), c.reconciles() ? "reconciles: raw = clean + dead-letter + duplicates"
              : "not reconciled: " + (c.raw() - c.clean() - c.deadLetter() - c.duplicates())
                  + " raw records not yet validated (still in flight while producers run; otherwise: is the validator running?)");
    }
    return c.reconciles() ? 0 : 1;
  }
}
