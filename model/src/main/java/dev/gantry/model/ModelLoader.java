package dev.gantry.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Reads {@code LoadBalancer} documents from YAML (several documents separated by {@code ---}) or JSON, and
 * reports every problem at once, each on the line it is on: syntax, binding (unknown fields, wrong types,
 * unknown enum values), {@link LoadBalancerValidator} rules, and clashes between documents.
 *
 * <p>Only documents without any problem are returned, so one bad document does not hide the good ones; a
 * caller that must load all or nothing (standalone startup, reload) checks {@link LoadResult#ok()}.
 */
public final class ModelLoader {

  private ModelLoader() {
  }

  /** One document on its way through the passes. */
  private record Document(SourceMap sourceMap, LoadBalancer lb, List<Diagnostic> diagnostics) {
  }

  public static LoadResult load(Path file, ValidationMode mode) throws IOException {
    return load(file.toString(), Files.readString(file), mode);
  }

  /** Never throws for bad input: every problem becomes a {@link Diagnostic}. */
  public static LoadResult load(String sourceName, String text, ValidationMode mode) {
    Objects.requireNonNull(sourceName, "sourceName");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(mode, "mode");
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    ObjectMapper mapper = ModelCodec.mapperFor(body);
    DocumentScanner.Scan scan = DocumentScanner.scan(mapper.getFactory(), sourceName, body);
    List<DocumentBinder.Bound> bound = DocumentBinder.bindAll(mapper, scan.documents());

    List<Document> documents = new ArrayList<>();
    for (int i = 0; i < bound.size(); i++) {
      DocumentScanner.ScannedDocument scanned = scan.documents().get(i);
      if (!scanned.empty()) {
        documents.add(check(sourceName, scanned, bound.get(i), mode));
      }
    }
    checkTogether(sourceName, documents, mode);

    List<LoadBalancer> loaded = new ArrayList<>();
    List<Diagnostic> diagnostics = new ArrayList<>();
    for (Document d : documents) {
      if (d.lb() != null && d.diagnostics().isEmpty()) {
        loaded.add(d.lb());
      }
      diagnostics.addAll(d.diagnostics());
    }
    if (scan.syntaxError() != null) {
      diagnostics.add(scan.syntaxError());
    }
    diagnostics.sort(Comparator.comparingInt(Diagnostic::line));
    return new LoadResult(loaded, diagnostics);
  }

  private static Document check(String source, DocumentScanner.ScannedDocument scanned, DocumentBinder.Bound bound,
      ValidationMode mode) {
    SourceMap lines = scanned.sourceMap();
    LoadBalancer lb = bound.lb();
    List<Problem> problems = new ArrayList<>();
    if (lb != null && lb.kind() != null && !lb.kind().equals(LoadBalancer.KIND)) {
      // another kind of object: its fields are not ours to judge, nor its name to clash with ours
      return new Document(lines, null, locate(source, lines, typeMeta(lb), new ArrayList<>()));
    }
    problems.addAll(bound.problems());
    if (lb != null) {
      problems.addAll(typeMeta(lb));
      for (Problem p : LoadBalancerValidator.validate(lb, mode)) {
        if (!underBindingProblem(p.path(), bound.problems())) {
          problems.add(p);
        }
      }
    }
    return new Document(lines, lb, locate(source, lines, problems, new ArrayList<>(scanned.diagnostics())));
  }

  private static List<Diagnostic> locate(String source, SourceMap lines, List<Problem> problems, List<Diagnostic> to) {
    for (Problem p : problems) {
      to.add(Diagnostic.of(source, lines.lineOf(p.path()), p));
    }
    return to;
  }

  private static List<Problem> typeMeta(LoadBalancer lb) {
    List<Problem> problems = new ArrayList<>();
    if (!LoadBalancer.API_VERSION.equals(lb.apiVersion())) {
      problems.add(new Problem("apiVersion", lb.apiVersion() == null ? "required, expected " + LoadBalancer.API_VERSION
          : "expected " + LoadBalancer.API_VERSION + ", got " + Problems.quote(lb.apiVersion())));
    }
    if (!LoadBalancer.KIND.equals(lb.kind())) {
      problems.add(new Problem("kind", lb.kind() == null ? "required, expected " + LoadBalancer.KIND
          : "expected " + LoadBalancer.KIND + ", got " + Problems.quote(lb.kind())));
    }
    return problems;
  }

  /** A value that could not be bound reads as null: its "required" would only repeat the binding problem. */
  private static boolean underBindingProblem(String path, List<Problem> bindingProblems) {
    for (Problem b : bindingProblems) {
      String p = b.path();
      if (path.equals(p) || path.startsWith(p + ".") || path.startsWith(p + "[")) {
        return true;
      }
    }
    return false;
  }

  private static void checkTogether(String source, List<Document> documents, ValidationMode mode) {
    List<LoadBalancer> lbs = documents.stream().map(Document::lb).toList();
    for (LoadBalancerValidator.DocumentProblem dp : LoadBalancerValidator.validateTogether(lbs, mode)) {
      Document d = documents.get(dp.document());
      d.diagnostics().add(Diagnostic.of(source, d.sourceMap().lineOf(dp.problem().path()), dp.problem()));
    }
  }
}
