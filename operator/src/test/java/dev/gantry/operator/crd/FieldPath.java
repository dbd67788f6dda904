package dev.gantry.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One place of a concrete object: fields (and map keys) and list indexes. {@link #toString()} names it as
 * the API server's validation does ({@code spec.listeners[0].port}, {@code spec.routes[0].requestHeaders.set.X-Env});
 * {@link #mergePath} as server-side apply's merge does ({@code .spec.routes[name="community"].hosts}).
 */
record FieldPath(List<Object> steps) {

  static final FieldPath ROOT = new FieldPath(List.of());

  FieldPath child(String field) {
    List<Object> s = new ArrayList<>(steps);
    s.add(field);
    return new FieldPath(List.copyOf(s));
  }

  FieldPath index(int i) {
    List<Object> s = new ArrayList<>(steps);
    s.add(i);
    return new FieldPath(List.copyOf(s));
  }

  FieldPath parent() {
    return new FieldPath(steps.subList(0, steps.size() - 1));
  }

  Object last() {
    return steps.get(steps.size() - 1);
  }

  /** The node at this place of {@code object}, or a missing node. */
  JsonNode in(JsonNode object) {
    JsonNode node = object;
    for (Object step : steps) {
      node = step instanceof Integer i ? node.path(i) : node.path((String) step);
    }
    return node;
  }

  /**
   * The first place of {@code object} that the schema path reaches (lists in index order, maps in key order)
   * and whose node passes {@code wanted}.
   */
  static Optional<FieldPath> first(JsonNode object, String schemaPath, Predicate<JsonNode> wanted) {
    return first(object, ROOT, SchemaPaths.segments(schemaPath), wanted);
  }

  private static Optional<FieldPath> first(JsonNode node, FieldPath at, List<String> rest,
      Predicate<JsonNode> wanted) {
    if (node.isMissingNode()) {
      return Optional.empty();
    }
    if (rest.isEmpty()) {
      return wanted.test(node) ? Optional.of(at) : Optional.empty();
    }
    String segment = rest.get(0);
    List<String> tail = rest.subList(1, rest.size());
    if (segment.equals("[]")) {
      for (int i = 0; i < node.size(); i++) {
        Optional<FieldPath> found = first(node.get(i), at.index(i), tail, wanted);
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    }
    if (segment.equals("*")) {
      for (var it = node.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        Optional<FieldPath> found = first(node.get(key), at.child(key), tail, wanted);
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    }
    return first(node.path(segment), at.child(segment), tail, wanted);
  }

  /**
   * As server-side apply names this place in its merge errors: a list item by its keys when the list is a
   * map ({@code [name="http"]}), by its value when a set ({@code [="GET"]}), else by its index.
   */
  String mergePath(JsonNode object, ObjectNode schema) {
    StringBuilder out = new StringBuilder();
    JsonNode node = object;
    JsonNode s = schema;
    for (Object step : steps) {
      if (step instanceof Integer i) {
        JsonNode item = node.get(i);
        out.append(switch (s.path("x-kubernetes-list-type").asText("atomic")) {
          case "map" -> "[" + keys(item, s) + "]";
          case "set" -> "[=" + item + "]";
          default -> "[" + i + "]";
        });
        node = item;
        s = s.path("items");
      } else {
        out.append('.').append(step);
        node = node.path((String) step);
        s = s.has("properties") ? s.path("properties").path((String) step) : s.path("additionalProperties");
      }
    }
    return out.toString();
  }

  private static String keys(JsonNode item, JsonNode listSchema) {
    List<String> keys = new ArrayList<>();
    listSchema.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText() + "=" + item.path(k.asText())));
    return String.join(",", keys);
  }

  @Override
  public String toString() {
    return steps.stream().map(s -> s instanceof Integer i ? "[" + i + "]" : "." + s)
        .collect(Collectors.joining()).replaceFirst("^\\.", "");
  }
}
