package dev.gantry.model;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * The one pass of the parser over a source: streams its tokens to find the documents, the line of every
 * field, keys written twice (which binding would silently collapse), fields the model does not have, and
 * the first syntax error; and keeps each document's tokens for {@link DocumentBinder}, so a source is
 * tokenized once (YAML's tokenizer costs more than everything after it).
 */
final class DocumentScanner {

  /**
   * One document: empty ones (a trailing {@code ---}, only comments) are kept so indexes line up with the
   * binder's. {@code diagnostics} are the duplicate and unknown fields; {@code tokens} the document's tokens.
   */
  record ScannedDocument(boolean empty, SourceMap sourceMap, List<Diagnostic> diagnostics, TokenBuffer tokens) {
  }

  /** The complete documents before any syntax error, and that error (or null). */
  record Scan(List<ScannedDocument> documents, Diagnostic syntaxError) {
  }

  private DocumentScanner() {
  }

  static Scan scan(JsonFactory factory, String source, String text) {
    List<ScannedDocument> documents = new ArrayList<>();
    ModelTypes types = new ModelTypes();
    try (JsonParser p = factory.createParser(text)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        documents.add(new Walk(source, types).document(p, t));
      }
      return new Scan(documents, null);
    } catch (IOException | RuntimeException e) {
      // a parser failure on hostile input is still a syntax error to report, never a crash
      return new Scan(documents, syntaxError(source, factory.getFormatName(), e, documents));
    }
  }

  /** The walk over one document, tracking the model type of every open object and list. */
  private static final class Walk {
    private final String source;
    private final ModelTypes types;
    private final Map<String, Integer> lines = new HashMap<>();
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Deque<Type> open = new ArrayDeque<>();
    /** The paths of the open objects and lists, kept as we go rather than rebuilt for every token. */
    private final Deque<String> containers = new ArrayDeque<>();
    private Type next = LoadBalancer.class;
    private TokenBuffer tokens;

    Walk(String source, ModelTypes types) {
      this.source = source;
      this.types = types;
    }

    ScannedDocument document(JsonParser p, JsonToken first) throws IOException {
      int start = p.currentTokenLocation().getLineNr();
      // not TokenBuffer(p, ...): that would nest every path under the parser's open context
      tokens = new TokenBuffer(null, p.canReadObjectId() || p.canReadTypeId());
      for (JsonToken t = first; ; t = p.nextToken()) {
        if (t == null) {
          throw new IOException("unexpected end of input");
        }
        token(p, t);
        tokens.copyCurrentEvent(p);
        if (open.isEmpty()) {
          return new ScannedDocument(first == JsonToken.VALUE_NULL, new SourceMap(start, lines), diagnostics,
              tokens);
        }
      }
    }

    private void token(JsonParser p, JsonToken t) throws IOException {
      if (t.isStructEnd()) {
        open.pop();
        containers.pop();
        return;
      }
      // an opening token has already entered its own context: where it sits is the parent's
      JsonStreamContext at = t.isStructStart() ? p.getParsingContext().getParent() : p.getParsingContext();
      String path;
      Type type;
      if (open.isEmpty()) {
        path = "";
        type = next;
      } else if (at.inArray()) {
        path = FieldPath.index(containers.peek(), at.getCurrentIndex());
        type = ModelTypes.element(open.peek());
      } else {
        path = FieldPath.key(containers.peek(), at.getCurrentName());
        type = next;
      }
      int line = p.currentTokenLocation().getLineNr();
      if (t == JsonToken.FIELD_NAME) {
        field(p.currentName(), path, line);
        return;
      }
      lines.putIfAbsent(path, line);
      if (t.isStructStart()) {
        open.push(type);
        containers.push(path);
      }
    }

    private void field(String name, String path, int line) {
      Type object = open.peek();
      next = types.field(object, name);
      if (lines.containsKey(path)) {
        diagnostics.add(new Diagnostic(source, line, path, "duplicate field " + Problems.quote(name)
            + ", also on line " + lines.get(path)));
      } else if (next == null) {
        diagnostics.add(new Diagnostic(source, line, path, unknownField(name, types.fields(object))));
      }
      lines.putIfAbsent(path, line);
      if (next == null) {
        next = ModelTypes.ANY;
      }
    }
  }

  /** Suggests the field a typo meant, or lists the fields there are. */
  static String unknownField(String name, List<String> known) {
    String message = "unknown field " + Problems.quote(name);
    String closest = null;
    int best = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = Names.editDistance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      // short names are all close to each other: only suggest on a single typo there
      if (distance < best && distance <= (candidate.length() <= 4 ? 1 : 2)) {
        best = distance;
        closest = candidate;
      }
    }
    if (closest != null) {
      return message + ", did you mean " + Problems.quote(closest) + "?";
    }
    return message + ", expected one of " + String.join(", ", known);
  }

  private static Diagnostic syntaxError(String source, String format, Exception e, List<ScannedDocument> complete) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
        return new Diagnostic(source, yaml.getProblemMark().getLine() + 1, "", "invalid YAML: " + yamlMessage(yaml));
      }
    }
    int line = -1;
    String message = e.getMessage();
    if (e instanceof JacksonException j) {
      line = j.getLocation() == null ? -1 : j.getLocation().getLineNr();
      message = j.getOriginalMessage();
    }
    if (line <= 0) {
      line = complete.isEmpty() ? 1 : complete.get(complete.size() - 1).sourceMap().startLine();
    }
    return new Diagnostic(source, line, "", "invalid " + format + ": " + firstLine(message));
  }

  /** SnakeYAML's problem, with the construct it was in when that started on an earlier line. */
  private static String yamlMessage(MarkedYAMLException e) {
    String message = firstLine(e.getProblem());
    Mark context = e.getContextMark();
    if (e.getContext() != null && context != null && context.getLine() != e.getProblemMark().getLine()) {
      message += " (" + e.getContext() + " started on line " + (context.getLine() + 1) + ")";
    }
    return message;
  }

  /** A parser's message as one printable line: cut at its first line end, other control characters escaped. */
  static String firstLine(String message) {
    if (message == null) {
      return "unreadable input";
    }
    int newline = message.indexOf('\n');
    String line = (newline < 0 ? message : message.substring(0, newline)).strip();
    StringBuilder printable = new StringBuilder(line.length());
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (Character.isISOControl(c)) {
        printable.append(String.format("\\u%04x", (int) c));
      } else {
        printable.append(c);
      }
    }
    return printable.toString();
  }
}
