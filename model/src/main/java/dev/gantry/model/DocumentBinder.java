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
 * The second pass over a source: binds each document to a {@link LoadBalancer} with a
 * {@link ProblemRecorder}, so a wrong type or an unknown enum value is reported and binding goes on.
 */
final class DocumentBinder {

  /** A bound document: lb is null when the document was empty or could not be bound at all. */
  record Bound(LoadBalancer lb, List<Problem> problems) {
  }

  private DocumentBinder() {
  }

  /**
   * Binds the first {@code count} documents of text, the ones the scanner read completely. Stops early
   * if the parser fails anyway: the scanner has reported that syntax error already.
   */
  static List<Bound> bindAll(ObjectMapper mapper, String text, int count) {
    List<Bound> bound = new ArrayList<>();
    try (JsonParser p = mapper.getFactory().createParser(text)) {
      while (bound.size() < count && p.nextToken() != null) {
        bound.add(p.currentToken() == JsonToken.VALUE_NULL ? new Bound(null, List.of()) : bindOne(mapper, p));
      }
    } catch (IOException | RuntimeException e) {
      // only a syntax error can land here; the scanner reported it with its line
    }
    return bound;
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

  private static String message(IOException e) {
    String message = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
    return message == null ? "cannot read this value" : DocumentScanner.firstLine(message);
  }
}
