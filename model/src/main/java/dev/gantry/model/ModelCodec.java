package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The JSON and YAML mappers of the API, configured once: unknown fields fail, nulls are left out, integers
 * accept quoted digits but nothing else, enum values are matched exactly and never by number.
 */
public final class ModelCodec {

  private static final ObjectMapper JSON = configure(JsonMapper.builder()).build();
  private static final ObjectMapper YAML = configure(YAMLMapper.builder(YAMLFactory.builder()
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      // "8080" and "1.2" stay strings when read back
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .build())).build();

  private ModelCodec() {
  }

  private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(B builder) {
    SimpleModule numbers = new SimpleModule("gantry-numbers")
        .addDeserializer(Integer.class, WholeNumberDeserializer.integers())
        .addDeserializer(Long.class, WholeNumberDeserializer.longs())
        .addDeserializer(Double.class, new DecimalDeserializer());
    return builder
        .addModule(numbers)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .defaultPropertyInclusion(JsonInclude.Value.construct(Include.NON_NULL, Include.NON_NULL))
        // "" (and a bare "-" list item) reads as a missing value, which validation then names, instead of
        // aborting binding
        .withCoercionConfigDefaults(c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.AsNull));
  }

  /** A copy of the JSON mapper, so callers can tune theirs without touching the shared one. */
  public static ObjectMapper jsonMapper() {
    return JSON.copy();
  }

  /** A copy of the YAML mapper, so callers can tune theirs without touching the shared one. */
  public static ObjectMapper yamlMapper() {
    return YAML.copy();
  }

  public static String toJson(LoadBalancer lb) {
    return write(JSON, lb);
  }

  /** Indented JSON: as readable as YAML in {@code kubectl get -o yaml}, and ten times faster to read back. */
  public static String toPrettyJson(LoadBalancer lb) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(lb);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String toYaml(LoadBalancer lb) {
    return write(YAML, lb);
  }

  /**
   * Reads one load balancer from JSON without validating it, or throws {@link IllegalArgumentException}
   * naming every field that could not be read, for example
   * {@code line 4: spec.listeners[0].port: expected an integer, got "abc"}.
   */
  public static LoadBalancer fromJson(String json) {
    DocumentScanner.Scan scan = DocumentScanner.scan(JSON.getFactory(), "json", json);
    if (scan.syntaxError() != null) {
      throw new IllegalArgumentException(describe(List.of(scan.syntaxError())));
    }
    if (scan.documents().size() != 1 || scan.documents().get(0).empty()) {
      throw new IllegalArgumentException("expected one JSON object, got " + scan.documents().size() + " documents");
    }
    DocumentScanner.ScannedDocument document = scan.documents().get(0);
    List<DocumentBinder.Bound> bound = DocumentBinder.bindAll(JSON, scan.documents());
    List<Diagnostic> problems = new ArrayList<>(document.diagnostics());
    for (Problem p : bound.get(0).problems()) {
      problems.add(Diagnostic.of("json", document.sourceMap().lineOf(p.path()), p));
    }
    if (!problems.isEmpty() || bound.get(0).lb() == null) {
      throw new IllegalArgumentException(problems.isEmpty() ? "expected a JSON object" : describe(problems));
    }
    return bound.get(0).lb();
  }

  private static String describe(List<Diagnostic> diagnostics) {
    return diagnostics.stream()
        .sorted(Comparator.comparingInt(Diagnostic::line))
        .map(d -> "line " + d.line() + ": " + (d.path().isEmpty() ? "" : d.path() + ": ") + d.message())
        .collect(Collectors.joining("; "));
  }

  /** The mapper for a source: JSON when it starts with '{', YAML otherwise (YAML would accept most JSON too). */
  static ObjectMapper mapperFor(String text) {
    return text.stripLeading().startsWith("{") ? JSON : YAML;
  }

  private static String write(ObjectMapper mapper, LoadBalancer lb) {
    try {
      return mapper.writeValueAsString(lb);
    } catch (JsonProcessingException e) {
      // records of strings, numbers, lists and maps always serialize
      throw new IllegalStateException("cannot serialize " + lb.id(), e);
    }
  }
}
