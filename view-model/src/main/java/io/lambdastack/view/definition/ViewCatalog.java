package io.lambdastack.view.definition;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The validated set of views, in file order. */
public final class ViewCatalog implements Serializable {
  private final Map<String, ViewDefinition> byName = new LinkedHashMap<>();

  public ViewCatalog(List<ViewDefinition> views) {
    for (ViewDefinition view : views) {
      if (byName.put(view.name(), view) != null) {
        throw new ViewFileException("view '" + view.name() + "' is declared twice: view names must be unique");
      }
    }
  }

  public List<ViewDefinition> views() {
    return List.copyOf(byName.values());
  }

  /** The event-time bucket views: what {@code ViewFold} computes in both layers (the other kinds are speed views). */
  public List<ViewDefinition> bucketViews() {
    return byName.values().stream().filter(ViewDefinition::isBuckets).toList();
  }

  /** The views of one kind, in file order. */
  public List<ViewDefinition> ofKind(ViewKind kind) {
    return byName.values().stream().filter(v -> v.kind() == kind).toList();
  }

  public Optional<ViewDefinition> view(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The topics the views read, each once. */
  public List<String> sourceTopics() {
    return byName.values().stream().map(ViewDefinition::source).distinct().toList();
  }

  public List<ViewDefinition> readingFrom(String topic) {
    return byName.values().stream().filter(v -> v.source().equals(topic)).toList();
  }
}
