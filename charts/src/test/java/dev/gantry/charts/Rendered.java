package dev.gantry.charts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.StreamSupport;

/** The documents a chart rendered, looked up by kind and name. */
record Rendered(List<JsonNode> documents) {

  static Rendered parse(String yaml) {
    return new Rendered(Chart.documents(yaml));
  }

  List<JsonNode> all(String kind) {
    return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
  }

  JsonNode one(String kind, String name) {
    return documents.stream()
        .filter(d -> kind.equals(d.path("kind").asText()) && name.equals(d.path("metadata").path("name").asText()))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("no " + kind + " " + name + " in " + names()));
  }

  /** The only one of its kind. */
  JsonNode only(String kind) {
    List<JsonNode> found = all(kind);
    if (found.size() != 1) {
      throw new NoSuchElementException("expected one " + kind + ", found " + found.size() + " in " + names());
    }
    return found.get(0);
  }

  List<String> names() {
    return documents.stream().map(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText()).toList();
  }

  /** The operator's container. */
  JsonNode operatorContainer() {
    return only("Deployment").at("/spec/template/spec/containers/0");
  }

  List<String> operatorArgs() {
    return strings(operatorContainer().path("args"));
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    StreamSupport.stream(array.spliterator(), false).forEach(n -> out.add(n.asText()));
    return out;
  }
}
