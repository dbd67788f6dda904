package dev.gantry.operator.crd;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A LoadBalancer that breaks one bound at one field, and what the API server must answer.
 *
 * @param status whether the object goes to the status subresource (the main resource drops status)
 * @param expected a cause of a validation error, or the line of a merge error that server-side apply gives
 *     before validation (duplicate keys, an item without its key)
 */
record BoundCase(SchemaBound bound, FieldPath field, boolean status, ObjectNode object, Expected expected) {

  sealed interface Expected permits Cause, MergeError {
  }

  /** One cause of a 422 Invalid: {@code field} is the field path the server names. */
  record Cause(String field, String reason, String message) implements Expected {
    @Override
    public String toString() {
      return field + ": " + message;
    }
  }

  /** A line of server-side apply's "failed to create typed patch object" error. */
  record MergeError(String line) implements Expected {
    @Override
    public String toString() {
      return line;
    }
  }
}
