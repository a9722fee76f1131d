package io.lambdastack.speed.landmark;

import io.lambdastack.speed.state.KeyOutcome;
import io.lambdastack.speed.state.ViewKey;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.definition.ViewKind;
import io.lambdastack.view.event.Event;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.streaming.StateSpec;
import org.apache.spark.streaming.api.java.JavaMapWithStateDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import scala.Tuple2;

/** Landmark views: a key's events grouped per batch, then {@link LandmarkStateFunction} over (view, key). */
public final class LandmarkViews {
  private LandmarkViews() {}

  /** @param initial open segments to start from (the upgrade path), or null */
  public static JavaMapWithStateDStream<ViewKey, Iterable<Event>, LandmarkSegment, KeyOutcome> of(
      JavaPairDStream<String, Event> events, ViewFold fold, JavaPairRDD<ViewKey, LandmarkSegment> initial) {
    List<ViewDefinition> views = fold.catalog().ofKind(ViewKind.LANDMARK);
    StateSpec<ViewKey, Iterable<Event>, LandmarkSegment, KeyOutcome> spec = StateSpec.function(new LandmarkStateFunction(fold));
    if (initial != null) {
      spec = spec.initialState(initial);
    }
    return events.flatMapToPair(e -> {
      List<Tuple2<ViewKey, Event>> out = new ArrayList<>(1);
      for (ViewDefinition view : views) {
        String key = view.keyOf(e._1(), e._2());
        if (key != null) {
          out.add(new Tuple2<>(new ViewKey(view.name(), key), e._2()));
        }
      }
      return out.iterator();
    }).groupByKey().mapWithState(spec);
  }
}
