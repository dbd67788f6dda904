package dev.gantry.model;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The second pass over a source's documents, over the tokens the scanner kept: binds each to a {@link LoadBalancer} with a
 * {@link ProblemRecorder}, so a wrong type or an unknown enum value is reported and binding goes on.
 */
final class DocumentBinder {

  /** A bound document: lb is null when the document was empty or could not be bound at all. */
  record Bound(LoadBalancer lb, List<Problem> problems) {
  }

  private DocumentBinder() {
  }

  /** Binds the documents the scanner read completely, one {@link Bound} each. */
  static List<Bound> bindAll(ObjectMapper mapper, List<DocumentScanner.ScannedDocument> documents) {
    List<Bound> bound = new ArrayList<>(documents.size());
    for (DocumentScanner.ScannedDocument d : documents) {
      bound.add(d.empty() ? new Bound(null, List.of()) : bind(mapper, d));
    }
    return bound;
  }

  private static Bound bind(ObjectMapper mapper, DocumentScanner.ScannedDocument document) {
    try (JsonParser p = document.tokens().asParser(mapper)) {
      p.nextToken();
      return bindOne(mapper, p);
    } catch (IOException | RuntimeException e) {
      // the tokens were read without a syntax error; what is left cannot be bound at all
      return new Bound(null, List.of(new Problem("", message(e))));
    }
  }

  /** Binds the document the parser is at, leaving the parser on its last token. */
  static Bound bindOne(ObjectMapper mapper, JsonParser p) throws IOException {
    ProblemRecorder recorder = new ProblemRecorder();
    try {
      LoadBalancer lb = mapper.readerFor(LoadBalancer.class).withHandler(recorder).readValue(p);
      return new Bound(lb, recorder.problems());
    } catch (IOException e) {
      if (hasSyntaxError(e)) {
        throw e;
      }
      // a problem Jackson cannot hand to a handler: report it where it happened and skip the document
      recorder.add(ProblemRecorder.pathAt(p), message(e));
      while (!p.getParsingContext().inRoot() && p.nextToken() != null) {
        p.skipChildren();
      }
      return new Bound(null, recorder.problems());
    }
  }

  private static boolean hasSyntaxError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StreamReadException) {
        return true;
      }
    }
    return false;
  }

  private static String message(Exception e) {
    String message = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
    return message == null ? "cannot read this value" : DocumentScanner.firstLine(message);
  }
}
