package io.lambdastack.view.update;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON form of {@link ViewUpdate} on the speed-view topic. The record key, {@code ["view","key",bucketStart]},
 * makes compaction keep exactly the latest aggregate per (view, key, bucket).
 */
public final class ViewUpdateJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ViewUpdateJson() {}

  public static String recordKey(String view, String key, long bucketStart) {
    ArrayNode k = JSON.createArrayNode().add(view).add(key).add(bucketStart);
    return k.toString();
  }

  public static byte[] toBytes(ViewUpdate u) {
    ObjectNode n = JSON.createObjectNode();
    n.put("view", u.view());
    n.put("key", u.key());
    n.put("bucketStart", u.bucketStart());
    n.put("bucketEnd", u.bucketEnd());
    n.put("events", u.events());
    n.set("measures", JSON.valueToTree(u.measures()));
    n.put("aggregate", Base64.getEncoder().encodeToString(u.aggregate()));
    n.put("layer", u.layer());
    n.put("updatedAt", u.updatedAt());
    try {
      return JSON.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @throws IllegalArgumentException when the bytes are not a view update */
  public static ViewUpdate parse(byte[] bytes) {
    try {
      JsonNode n = JSON.readTree(bytes);
      Map<String, Object> measures = JSON.convertValue(n.required("measures"), LinkedHashMap.class);
      return new ViewUpdate(n.required("view").asText(), n.required("key").asText(), n.required("bucketStart").asLong(),
          n.required("bucketEnd").asLong(), n.required("events").asLong(), measures,
          Base64.getDecoder().decode(n.required("aggregate").asText()), n.required("layer").asText(),
          n.required("updatedAt").asLong());
    } catch (java.io.IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a view update: " + e.getMessage(), e);
    }
  }
}
