package io.lambdastack.ingestion.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdastack.view.config.ConfigException;
import io.lambdastack.view.event.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplaySourcesTest {
  @Test
  void csvIsReplayedInEventTimeOrderWithTypedColumns(@TempDir Path dir) throws Exception {
    Path csv = Files.writeString(dir.resolve("flights.csv"), """
        date,delay,origin,note
        2001-01-01T10:00:00Z,5,JFK,"late, again"
        2001-01-01T08:00:00Z,-3,LAX,
        1000,12,"S""FO",x
        """);
    ReplayTable t = CsvReplaySource.load(csv, "date");
    assertThat(t.size()).isEqualTo(3);
    assertThat(t.event(0)).isEqualTo(new Event("flights-2", 1000, Map.of("origin", "S\"FO", "note", "x"), Map.of("delay", 12.0)));
    assertThat(t.event(1).attributes()).isEqualTo(Map.of("origin", "LAX")); // empty note = null
    assertThat(t.event(2).attributes()).containsEntry("note", "late, again");
    assertThat(t.eventTime(1)).isLessThan(t.eventTime(2));
  }

  @Test
  void csvErrorsNameTheLine(@TempDir Path dir) throws Exception {
    Path csv = Files.writeString(dir.resolve("bad.csv"), "date,x\n2001-01-01T00:00:00Z,1\nsoon,2\n");
    assertThatThrownBy(() -> CsvReplaySource.load(csv, "date")).isInstanceOf(ConfigException.class)
        .hasMessage(csv + ":3: date 'soon' is neither ISO-8601 nor epoch millis");
    assertThatThrownBy(() -> CsvReplaySource.load(csv, "when")).hasMessageContaining("no column 'when'");
  }

  @Test
  void jsonLinesKeepTheirIdsAndAreSortedByTime(@TempDir Path dir) throws Exception {
    Path jsonl = Files.writeString(dir.resolve("e.jsonl"), "{\"id\":\"b\",\"ts\":20,\"k\":\"x\"}\n{\"id\":\"a\",\"ts\":10,\"v\":1.5}\n");
    ReplayTable t = JsonLinesReplaySource.load(jsonl);
    assertThat(t.event(0)).isEqualTo(new Event("a", 10, Map.of(), Map.of("v", 1.5)));
    assertThat(t.event(1)).isEqualTo(new Event("b", 20, Map.of("k", "x"), Map.of()));
  }

  @Test
  void sortIsStableForEqualTimes() {
    assertThat(ReplayTable.sortByTime(new long[] {5, 1, 5, 1})).containsExactly(1, 3, 0, 2);
  }
}
