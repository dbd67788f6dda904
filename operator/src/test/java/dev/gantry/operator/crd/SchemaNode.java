package dev.gantry.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One place of an OpenAPI v3 schema, reached by a field path such as {@code spec.listeners[].tls}, with
 * the constraints the generator cannot read from the model's records.
 */
final class SchemaNode {

  private final ObjectNode node;
  private final String path;

  private SchemaNode(ObjectNode node, String path) {
    this.node = node;
    this.path = path;
  }

  static SchemaNode root(ObjectNode openApiV3Schema) {
    return new SchemaNode(openApiV3Schema, "");
  }

  /** The schema at {@code path}: dot-separated fields, {@code []} for the items of a list. */
  SchemaNode at(String path) {
    ObjectNode current = node;
    for (String part : path.split("\\.")) {
      boolean items = part.endsWith("[]");
      String field = items ? part.substring(0, part.length() - 2) : part;
      current = child(current, "properties", field);
      if (items) {
        current = child(current, "items", null);
      }
    }
    return new SchemaNode(current, this.path.isEmpty() ? path : this.path + "." + path);
  }

  private ObjectNode child(ObjectNode parent, String kind, String field) {
    JsonNode next = field == null ? parent.get(kind) : parent.path(kind).get(field);
    if (!(next instanceof ObjectNode o)) {
      throw new IllegalArgumentException("no schema at " + path + " > " + kind + (field == null ? "" : "." + field));
    }
    return o;
  }

  /** The schema of the values of a map. */
  SchemaNode values() {
    return new SchemaNode(child(node, "additionalProperties", null), path + ".*");
  }

  SchemaNode required(String... fields) {
    ArrayNode required = node.putArray("required");
    for (String f : fields) {
      at(f); // fails on a typo
      required.add(f);
    }
    return this;
  }

  SchemaNode range(long min, long max) {
    node.put("minimum", min);
    node.put("maximum", max);
    return this;
  }

  SchemaNode min(long min) {
    node.put("minimum", min);
    return this;
  }

  SchemaNode items(int min, int max) {
    node.put("minItems", min);
    node.put("maxItems", max);
    return this;
  }

  SchemaNode maxItems(int max) {
    node.put("maxItems", max);
    return this;
  }

  SchemaNode maxLength(int max) {
    node.put("maxLength", max);
    return this;
  }

  SchemaNode maxProperties(int max) {
    node.put("maxProperties", max);
    return this;
  }

  SchemaNode pattern(String regex) {
    node.put("pattern", regex);
    return this;
  }

  SchemaNode enumOf(String... values) {
    ArrayNode e = node.putArray("enum");
    for (String v : values) {
      e.add(v);
    }
    return this;
  }

  SchemaNode description(String text) {
    node.put("description", text);
    return this;
  }

  /** A list whose items are identified by these keys: duplicates are refused, merges go by key. */
  SchemaNode listMap(String... keys) {
    node.put("x-kubernetes-list-type", "map");
    ArrayNode k = node.putArray("x-kubernetes-list-map-keys");
    for (String key : keys) {
      k.add(key);
    }
    return this;
  }

  SchemaNode listSet() {
    node.put("x-kubernetes-list-type", "set");
    return this;
  }

  /** A port given as a number or by name. */
  SchemaNode intOrString() {
    node.remove("type");
    node.put("x-kubernetes-int-or-string", true);
    return this;
  }

  /** A CEL rule checked by the API server: {@code message} is what {@code kubectl apply} prints. */
  SchemaNode rule(String cel, String message) {
    return rule(cel, message, null);
  }

  SchemaNode rule(String cel, String message, String fieldPath) {
    ArrayNode rules = node.has("x-kubernetes-validations") ? (ArrayNode) node.get("x-kubernetes-validations")
        : node.putArray("x-kubernetes-validations");
    ObjectNode r = rules.addObject();
    r.put("rule", cel);
    r.put("message", message);
    if (fieldPath != null) {
      r.put("fieldPath", fieldPath);
    }
    return this;
  }
}
