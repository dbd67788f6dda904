package dev.gantry.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The openAPIV3Schema of a CRD file, read as the API server reads it: its CEL rules and its bounds, each
 * at a schema path such as {@code spec.listeners[].port} ({@code []} the items of a list, {@code *} the
 * values of a map). A keyword the walk does not know fails it, so that a new kind of bound cannot go
 * unchecked.
 */
final class CrdSchema {

  /** A CEL rule ({@code x-kubernetes-validations}) where it sits in the schema. */
  record CelRule(String schemaPath, String rule, String message, String fieldPath) {
  }

  /** Keywords that shape the schema without bounding a value. */
  private static final Set<String> STRUCTURE = Set.of("type", "properties", "items", "additionalProperties",
      "description", "x-kubernetes-int-or-string", "x-kubernetes-validations", "x-kubernetes-list-type");

  private final ObjectNode root;

  private CrdSchema(ObjectNode root) {
    this.root = root;
  }

  static CrdSchema read(Path crdFile) {
    try {
      JsonNode crd = new YAMLMapper().readTree(Files.readString(crdFile));
      JsonNode versions = crd.path("spec").path("versions");
      if (versions.size() != 1) {
        throw new IllegalStateException(crdFile + ": expected one version, found " + versions.size());
      }
      return new CrdSchema((ObjectNode) versions.get(0).path("schema").path("openAPIV3Schema"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ObjectNode openApiV3Schema() {
    return root;
  }

  /** The schema at a schema path. */
  ObjectNode at(String schemaPath) {
    JsonNode node = root;
    for (String segment : SchemaPaths.segments(schemaPath)) {
      node = switch (segment) {
        case "[]" -> node.path("items");
        case "*" -> node.path("additionalProperties");
        default -> node.path("properties").path(segment);
      };
    }
    if (!(node instanceof ObjectNode o)) {
      throw new IllegalArgumentException("no schema at " + schemaPath);
    }
    return o;
  }

  /** Every place of the schema but the root, parents before their children. */
  List<String> places() {
    List<String> places = new ArrayList<>();
    walk(root, "", (path, schema) -> {
      if (!path.isEmpty()) {
        places.add(path);
      }
    });
    return places;
  }

  List<CelRule> rules() {
    List<CelRule> rules = new ArrayList<>();
    walk(root, "", (path, schema) -> {
      for (JsonNode r : schema.path("x-kubernetes-validations")) {
        rules.add(new CelRule(path, r.path("rule").asText(), r.path("message").asText(),
            r.path("fieldPath").asText("")));
      }
    });
    return rules;
  }

  /** Every bound, one per {@code required} field; unknown keywords fail. */
  List<SchemaBound> bounds() {
    List<SchemaBound> bounds = new ArrayList<>();
    walk(root, "", (path, schema) -> {
      for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> keyword = it.next();
        String name = keyword.getKey();
        if (name.equals("required")) {
          keyword.getValue().forEach(f -> bounds.add(new SchemaBound(path, SchemaBound.Kind.REQUIRED, f, schema)));
        } else if (name.equals("x-kubernetes-list-type")) {
          if (keyword.getValue().asText().equals("set")) {
            bounds.add(new SchemaBound(path, SchemaBound.Kind.LIST_SET, keyword.getValue(), schema));
          }
        } else if (!STRUCTURE.contains(name)) {
          SchemaBound.Kind kind = SchemaBound.Kind.of(name).orElseThrow(() -> new IllegalStateException(
              "the schema at '" + path + "' has " + name + ", a keyword CrdIT cannot violate yet"));
          bounds.add(new SchemaBound(path, kind, keyword.getValue(), schema));
        }
      }
    });
    return bounds;
  }

  /**
   * The bounds counted without the walk: every bounding keyword anywhere in the schema's tree, each
   * required field one, a list-type one only when it is a set. Compared with {@link #bounds()}, it shows
   * that the walk reached every corner of the schema.
   */
  int boundKeywordCount() {
    return count(root);
  }

  private static int count(JsonNode node) {
    int n = 0;
    if (node instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        boolean insideProperties = e.getKey().equals("properties");
        if (!insideProperties && e.getKey().equals("required")) {
          n += e.getValue().size();
        } else if (!insideProperties && e.getKey().equals("x-kubernetes-list-type")) {
          n += e.getValue().equals(TextNode.valueOf("set")) ? 1 : 0;
        } else if (!insideProperties && SchemaBound.Kind.of(e.getKey()).isPresent()) {
          n++;
        }
        if (insideProperties) {
          for (JsonNode property : e.getValue()) {
            n += count(property);
          }
        } else if (e.getValue().isObject()) {
          n += count(e.getValue());
        }
      }
    }
    return n;
  }

  private interface Visitor {
    void visit(String schemaPath, ObjectNode schema);
  }

  private static void walk(ObjectNode schema, String path, Visitor visitor) {
    visitor.visit(path, schema);
    if (schema.path("properties") instanceof ObjectNode properties) {
      properties.fields().forEachRemaining(p ->
          walk((ObjectNode) p.getValue(), SchemaPaths.child(path, p.getKey()), visitor));
    }
    if (schema.path("items") instanceof ObjectNode items) {
      walk(items, path + "[]", visitor);
    }
    if (schema.path("additionalProperties") instanceof ObjectNode values) {
      walk(values, SchemaPaths.child(path, "*"), visitor);
    }
  }
}
