package dev.gantry.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Bad input of every shape must come back as diagnostics with real lines, never as an exception. */
class LoaderRobustnessTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<Supplier<JsonNode>> REPLACEMENTS = List.of(
      NODES::nullNode, () -> NODES.textNode("x\r\ny"), () -> NODES.numberNode(-1), () -> NODES.numberNode(1e300),
      NODES::arrayNode, NODES::objectNode, () -> NODES.arrayNode().add(NODES.nullNode()));

  @Test
  void replacingAnyValueOfTheExampleGivesDiagnosticsNotExceptions() throws Exception {
    ObjectMapper json = ModelCodec.jsonMapper();
    JsonNode example = ModelCodec.yamlMapper().readTree(Fixtures.SHOP_YAML);
    Map<ValidationMode, List<Diagnostic>> before = new java.util.EnumMap<>(ValidationMode.class);
    for (ValidationMode mode : ValidationMode.values()) {
      before.put(mode, ModelLoader.load("lb.json", json.writeValueAsString(example), mode).diagnostics());
    }
    int loads = 0;
    for (List<Object> path : paths(example, new ArrayList<>(), new ArrayList<>())) {
      for (Supplier<JsonNode> replacement : REPLACEMENTS) {
        JsonNode mutated = example.deepCopy();
        replace(mutated, path, replacement.get());
        String text = json.writerWithDefaultPrettyPrinter().writeValueAsString(mutated);
        // the modes differ in a few rules only: alternate them rather than double the run
        ValidationMode mode = ValidationMode.values()[loads % 2];
        LoadResult result = ModelLoader.load("lb.json", text, mode);
        assertSane(result, text, mode);
        assertThat(result.diagnostics()).as(text)
            .filteredOn(d -> before.get(mode).stream().noneMatch(b -> sameProblem(b, d)))
            .allSatisfy(d -> assertThat(related(d.path(), path) || danglingName(d)).as(d.toString()).isTrue());
        loads++;
      }
    }
    assertThat(loads).isGreaterThan(900);
  }

  @Test
  void everyTruncationOfTheExampleGivesDiagnosticsNotExceptions() {
    String text = Fixtures.SHOP_YAML;
    for (int end = 0; end < text.length(); end += 5) {
      String cut = text.substring(0, end);
      assertSane(ModelLoader.load("lb.yaml", cut, ValidationMode.CLUSTER), cut, ValidationMode.CLUSTER);
    }
  }

  @Test
  void oddInputGivesDiagnosticsNotExceptions() {
    for (String text : List.of("[", "{", "---\n---\n", "a: &x 1\nb: *x\n", "!!binary aGk=\n", "? [a, b]\n: c\n",
        "apiVersion: gantry.dev/v1alpha1\nkind: LoadBalancer\nspec: !!map {}\n", "\u0000", "{\"a\": 1} [", "- - - -",
        "<<: {a: 1}\n", "!!\rMina0.1\n  =\n", "spec:\n  listeners:\n  - " + "[".repeat(2000))) {
      assertSane(ModelLoader.load("odd.yaml", text, ValidationMode.STANDALONE), text, ValidationMode.STANDALONE);
    }
  }

  /**
   * Diagnostics on real lines, naming a field; the one document loaded exactly when it has no problem, and
   * then a model the validator accepts.
   */
  private static void assertSane(LoadResult result, String text, ValidationMode mode) {
    ModelLoaderFuzzTest.check(text, mode, result);
    assertThat(result.loadBalancers()).as(text).hasSizeLessThanOrEqualTo(result.ok() ? 1 : 0);
  }

  /** A changed name leaves the references to it dangling, wherever they are. */
  private static boolean danglingName(Diagnostic d) {
    return d.message().matches("no (backend|listener) named .*");
  }

  private static boolean sameProblem(Diagnostic a, Diagnostic b) {
    return a.path().equals(b.path()) && a.message().equals(b.message());
  }

  /** What a diagnostic about a changed value may name: the value, what holds it, or what it holds. */
  private static boolean related(String diagnosed, List<Object> changed) {
    String path = "";
    for (Object step : changed) {
      path = step instanceof Integer i ? FieldPath.index(path, i) : FieldPath.field(path, (String) step);
    }
    return diagnosed.equals(path) || path.startsWith(diagnosed + ".") || path.startsWith(diagnosed + "[")
        || diagnosed.startsWith(path + ".") || diagnosed.startsWith(path + "[");
  }

  /** The path of every value in the tree, as object keys and array indexes. */
  private static List<List<Object>> paths(JsonNode node, List<Object> at, List<List<Object>> all) {
    if (!at.isEmpty()) {
      all.add(List.copyOf(at));
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        at.add(e.getKey());
        paths(e.getValue(), at, all);
        at.remove(at.size() - 1);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        at.add(i);
        paths(node.get(i), at, all);
        at.remove(at.size() - 1);
      }
    }
    return all;
  }

  private static void replace(JsonNode root, List<Object> path, JsonNode value) {
    JsonNode parent = root;
    for (Object step : path.subList(0, path.size() - 1)) {
      parent = step instanceof Integer i ? parent.get(i) : parent.get((String) step);
    }
    Object last = path.get(path.size() - 1);
    if (last instanceof Integer i) {
      ((ArrayNode) parent).set(i, value);
    } else {
      ((ObjectNode) parent).set((String) last, value);
    }
  }
}
