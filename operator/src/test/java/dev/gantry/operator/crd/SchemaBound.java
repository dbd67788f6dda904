package dev.gantry.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Optional;

/**
 * One bound of a schema: a keyword ({@code maximum: 65535}) at a schema path ({@code spec.listeners[].port}).
 * A {@code required} list makes one bound per field ({@link #value()} the field's name).
 */
record SchemaBound(String schemaPath, Kind kind, JsonNode value, ObjectNode schema) {

  enum Kind {
    PATTERN("pattern"),
    MINIMUM("minimum"),
    MAXIMUM("maximum"),
    MIN_LENGTH("minLength"),
    MAX_LENGTH("maxLength"),
    MIN_ITEMS("minItems"),
    MAX_ITEMS("maxItems"),
    MIN_PROPERTIES("minProperties"),
    MAX_PROPERTIES("maxProperties"),
    ENUM("enum"),
    REQUIRED("required"),
    /** Items of a map-type list are unique by these keys. */
    LIST_MAP_KEYS("x-kubernetes-list-map-keys"),
    /** Items of a set-type list are unique. */
    LIST_SET("x-kubernetes-list-type");

    final String keyword;

    Kind(String keyword) {
      this.keyword = keyword;
    }

    static Optional<Kind> of(String keyword) {
      return Arrays.stream(values()).filter(k -> k.keyword.equals(keyword)).findFirst();
    }
  }

  @Override
  public String toString() {
    String shown = kind == Kind.LIST_SET ? "set" : value.isTextual() ? value.asText() : value.toString();
    return (schemaPath.isEmpty() ? "(root)" : schemaPath) + " " + kind.keyword + " " + shown;
  }
}
