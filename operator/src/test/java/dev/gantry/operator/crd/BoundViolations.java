package dev.gantry.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.gantry.operator.crd.BoundCase.Cause;
import dev.gantry.operator.crd.BoundCase.MergeError;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Turns each bound of the schema into a {@link BoundCase}: the {@link FullLoadBalancer} with the first field
 * the bound applies to changed just past the bound, and the answer the API server gives for that kind of
 * bound, word for word, naming that field.
 */
final class BoundViolations {

  /** The name of the objects of cases on the main resource; the status cases change the full object itself. */
  static final String NAME = "bound-case";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final CrdSchema schema;
  private final ObjectNode full;

  BoundViolations(CrdSchema schema, ObjectNode full) {
    this.schema = schema;
    this.full = full;
  }

  BoundCase violate(SchemaBound bound) {
    FieldPath at = FieldPath.first(full, bound.schemaPath(), applies(bound)).orElseThrow(() ->
        new IllegalStateException("the full LoadBalancer has no value at " + bound.schemaPath() + " to break "
            + bound + ": add one to FullLoadBalancer"));
    ObjectNode copy = full.deepCopy();
    return switch (bound.kind()) {
      case REQUIRED -> required(bound, at, copy);
      case LIST_MAP_KEYS, LIST_SET -> duplicate(bound, at, copy);
      default -> outOfBounds(bound, at, copy);
    };
  }

  private static Predicate<JsonNode> applies(SchemaBound bound) {
    return switch (bound.kind()) {
      case REQUIRED -> n -> n.has(bound.value().asText());
      case LIST_MAP_KEYS, LIST_SET, MIN_ITEMS, MAX_ITEMS -> n -> n.isArray() && !n.isEmpty();
      case MIN_PROPERTIES, MAX_PROPERTIES -> n -> n.isObject() && !n.isEmpty();
      default -> n -> n.isValueNode();
    };
  }

  private BoundCase required(SchemaBound bound, FieldPath at, ObjectNode copy) {
    String field = bound.value().asText();
    ((ObjectNode) at.in(copy)).remove(field);
    FieldPath removed = at.child(field);
    if (omitsAllListKeys(at, copy)) {
      // server-side apply cannot merge an item it cannot identify: it answers before validation does
      FieldPath list = at.parent();
      List<String> keys = listKeys(bound.schemaPath());
      return finish(bound, removed, copy, new MergeError(list.mergePath(full, schema.openApiV3Schema())
          + ": element " + at.last() + ": associative list with keys has an element that omits all key fields "
          + keys.stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(" ", "[", "]"))
          + " (and doesn't have default values for any key fields)"));
    }
    return finish(bound, removed, copy, new Cause(removed.toString(), "FieldValueRequired", "Required value"));
  }

  private boolean omitsAllListKeys(FieldPath item, ObjectNode copy) {
    if (item.steps().isEmpty() || !(item.last() instanceof Integer)) {
      return false;
    }
    String itemSchemaPath = schemaPathOf(item);
    List<String> keys = listKeys(itemSchemaPath);
    JsonNode node = item.in(copy);
    return !keys.isEmpty() && keys.stream().noneMatch(node::has);
  }

  /** The keys of the map-type list whose items are at {@code itemSchemaPath} (none for other lists). */
  private List<String> listKeys(String itemSchemaPath) {
    if (!itemSchemaPath.endsWith("[]")) {
      return List.of();
    }
    ObjectNode list = schema.at(itemSchemaPath.substring(0, itemSchemaPath.length() - 2));
    return StreamSupport.stream(list.path("x-kubernetes-list-map-keys").spliterator(), false)
        .map(JsonNode::asText).toList();
  }

  private BoundCase duplicate(SchemaBound bound, FieldPath at, ObjectNode copy) {
    ArrayNode list = (ArrayNode) at.in(copy);
    JsonNode first = list.get(0);
    list.add(first.deepCopy());
    String key = bound.kind() == SchemaBound.Kind.LIST_SET ? "=" + first
        : StreamSupport.stream(bound.value().spliterator(), false)
            .map(k -> k.asText() + "=" + first.path(k.asText())).collect(Collectors.joining(","));
    return finish(bound, at, copy, new MergeError(at.mergePath(full, schema.openApiV3Schema())
        + ": duplicate entries for key [" + key + "]"));
  }

  private BoundCase outOfBounds(SchemaBound bound, FieldPath at, ObjectNode copy) {
    JsonNode original = at.in(full);
    ObjectNode s = bound.schema();
    String f = at.toString();
    long limit = bound.value().asLong();
    JsonNode bad;
    Cause cause;
    switch (bound.kind()) {
      case PATTERN -> {
        bad = TextNode.valueOf(Values.notMatching(bound.value().asText(), s));
        cause = invalid(f, quoted(bad) + ": " + f + " in body should match '" + bound.value().asText() + "'");
      }
      case MINIMUM -> {
        bad = LongNode.valueOf(limit - 1);
        cause = invalid(f, bad + ": " + f + " in body should be greater than or equal to " + limit);
      }
      case MAXIMUM -> {
        bad = LongNode.valueOf(limit + 1);
        cause = invalid(f, bad + ": " + f + " in body should be less than or equal to " + limit);
      }
      case MIN_LENGTH -> {
        bad = TextNode.valueOf("a".repeat((int) limit - 1));
        cause = invalid(f, quoted(bad) + ": " + f + " in body should be at least " + limit + " chars long");
      }
      case MAX_LENGTH -> {
        bad = TextNode.valueOf(Values.longer(original.asText(), (int) limit + 1, s));
        cause = new Cause(f, "FieldValueTooLong", "Too long: may not be more than " + limit + " bytes");
      }
      case MIN_ITEMS -> {
        ArrayNode fewer = JSON.arrayNode();
        for (int i = 0; i < limit - 1; i++) {
          fewer.add(original.get(i).deepCopy());
        }
        bad = fewer;
        cause = invalid(f, fewer.size() + ": " + f + " in body should have at least " + limit + " items");
      }
      case MAX_ITEMS -> {
        bad = Values.moreItems((ArrayNode) original, (int) limit + 1, s);
        cause = tooMany(f, bad.size(), limit);
      }
      case MIN_PROPERTIES -> {
        ObjectNode fewer = JSON.objectNode();
        original.fields().forEachRemaining(e -> {
          if (fewer.size() < limit - 1) {
            fewer.set(e.getKey(), e.getValue());
          }
        });
        bad = fewer;
        cause = invalid(f, fewer.size() + ": " + f + " in body should have at least " + limit + " properties");
      }
      case MAX_PROPERTIES -> {
        ObjectNode more = ((ObjectNode) original).deepCopy();
        JsonNode value = more.elements().next();
        for (int i = 0; more.size() <= limit; i++) {
          more.set("x-extra-" + i, value);
        }
        bad = more;
        cause = tooMany(f, more.size(), limit);
      }
      case ENUM -> {
        bad = TextNode.valueOf("NotInTheEnum");
        String supported = StreamSupport.stream(bound.value().spliterator(), false)
            .map(BoundViolations::quoted).collect(Collectors.joining(", "));
        cause = new Cause(f, "FieldValueNotSupported",
            "Unsupported value: " + quoted(bad) + ": supported values: " + supported);
      }
      default -> throw new IllegalArgumentException("not a value bound: " + bound);
    }
    replace(copy, at, bad);
    return finish(bound, at, copy, cause);
  }

  private static Cause invalid(String field, String detail) {
    return new Cause(field, "FieldValueInvalid", "Invalid value: " + detail);
  }

  private static Cause tooMany(String field, int count, long limit) {
    return new Cause(field, "FieldValueTooMany", "Too many: " + count + ": must have at most " + limit + " items");
  }

  /** As Go's %q prints the simple strings the cases use. */
  private static String quoted(JsonNode text) {
    return "\"" + text.asText().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static void replace(ObjectNode root, FieldPath at, JsonNode value) {
    JsonNode parent = at.parent().in(root);
    if (at.last() instanceof Integer i) {
      ((ArrayNode) parent).set(i, value);
    } else {
      ((ObjectNode) parent).set((String) at.last(), value);
    }
  }

  /** Status goes to the status subresource of the full object; everything else to a new object. */
  private BoundCase finish(SchemaBound bound, FieldPath field, ObjectNode copy, BoundCase.Expected expected) {
    boolean status = !field.steps().isEmpty() && field.steps().get(0).equals("status");
    ObjectNode object = JSON.objectNode();
    object.set("apiVersion", copy.get("apiVersion"));
    object.set("kind", copy.get("kind"));
    object.putObject("metadata").put("name", status ? FullLoadBalancer.NAME : NAME);
    if (status) {
      object.set("status", copy.get("status"));
    } else if (copy.has("spec")) {
      object.set("spec", copy.get("spec"));
    }
    return new BoundCase(bound, field, status, object, expected);
  }

  /** The schema path of a concrete place: indexes become {@code []}, map keys {@code *}. */
  private String schemaPathOf(FieldPath at) {
    StringBuilder path = new StringBuilder();
    JsonNode s = schema.openApiV3Schema();
    for (Object step : at.steps()) {
      if (step instanceof Integer) {
        path.append("[]");
        s = s.path("items");
      } else if (s.path("properties").has((String) step)) {
        path.append(path.length() == 0 ? "" : ".").append(step);
        s = s.path("properties").path((String) step);
      } else {
        path.append(".*");
        s = s.path("additionalProperties");
      }
    }
    return path.toString();
  }

  /** Values just past a bound that keep every other bound of the same field, where that is possible. */
  static final class Values {

    private Values() {
    }

    static String notMatching(String regex, ObjectNode schema) {
      Pattern p = Pattern.compile(regex);
      long max = schema.path("maxLength").asLong(Long.MAX_VALUE);
      for (String candidate : new String[] {"bad value", "Bad_Value!", "-"}) {
        if (!p.matcher(candidate).find() && candidate.length() <= max) {
          return candidate;
        }
      }
      throw new IllegalStateException("no candidate breaks the pattern " + regex);
    }

    /**
     * A string of {@code length} that still matches the field's pattern where one can (so only the length is
     * wrong); otherwise the original padded, and the pattern complains too.
     */
    static String longer(String original, int length, ObjectNode schema) {
      String padding = "a".repeat(Math.max(0, length - original.length()));
      List<String> candidates = List.of(original + padding, padding + original);
      String regex = schema.path("pattern").asText(null);
      return candidates.stream()
          .filter(c -> regex == null || Pattern.compile(regex).matcher(c).find())
          .findFirst().orElse(candidates.get(0));
    }

    /**
     * A list of {@code size} items made from the first: items of a map-type list get keys of their own and
     * items of a set are distinct, so that only the count is wrong (a set of enum values runs out of them,
     * and its extra items break the enum too).
     */
    static ArrayNode moreItems(ArrayNode original, int size, ObjectNode listSchema) {
      ArrayNode more = JSON.arrayNode();
      JsonNode first = original.get(0);
      ObjectNode items = (ObjectNode) listSchema.path("items");
      String type = listSchema.path("x-kubernetes-list-type").asText("atomic");
      for (int i = 0; i < size; i++) {
        if (type.equals("set")) {
          more.add(variant(first, i, items));
        } else if (type.equals("map")) {
          ObjectNode item = first.deepCopy();
          for (JsonNode key : listSchema.path("x-kubernetes-list-map-keys")) {
            String k = key.asText();
            item.set(k, variant(first.path(k), i, (ObjectNode) items.path("properties").path(k)));
          }
          more.add(item);
        } else {
          more.add(first.deepCopy());
        }
      }
      return more;
    }

    /** The i-th distinct value of a field, valid for its own schema where it can be. */
    static JsonNode variant(JsonNode original, int i, ObjectNode schema) {
      if (schema.has("enum")) {
        return i < schema.path("enum").size() ? schema.path("enum").get(i) : TextNode.valueOf("not-in-enum-" + i);
      }
      if (original.isIntegralNumber()) {
        long v = original.asLong() + i;
        return LongNode.valueOf(schema.has("maximum") && v > schema.path("maximum").asLong() ? original.asLong() - i : v);
      }
      String regex = schema.path("pattern").asText(null);
      long max = schema.path("maxLength").asLong(Long.MAX_VALUE);
      List<String> candidates = new ArrayList<>(List.of(original.asText() + "-" + i, original.asText() + i, "v" + i));
      return candidates.stream()
          .filter(c -> c.length() <= max && (regex == null || Pattern.compile(regex).matcher(c).find()))
          .findFirst().map(c -> (JsonNode) TextNode.valueOf(c))
          .orElseThrow(() -> new IllegalStateException("no distinct value of " + original + " fits " + schema));
    }
  }
}
