package dev.gantry.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Records every binding problem (wrong type, unknown enum value) with its path, skips the offending value
 * and lets Jackson carry on, so one run reports them all. One instance per document.
 */
final class ProblemRecorder extends DeserializationProblemHandler {

  private final List<Problem> problems = new ArrayList<>();

  List<Problem> problems() {
    return List.copyOf(problems);
  }

  void add(String path, String message) {
    problems.add(new Problem(path, message));
  }

  /** Unknown fields are reported by {@link DocumentScanner}, which knows their line; here they are skipped. */
  @Override
  public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
      Object beanOrClass, String propertyName) throws IOException {
    p.skipChildren();
    return true;
  }

  @Override
  public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String value,
      String failureMsg) {
    add(pathAt(ctxt.getParser()), badValue(targetType, Problems.quote(value), failureMsg));
    return null;
  }

  @Override
  public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number value,
      String failureMsg) {
    add(pathAt(ctxt.getParser()), badValue(targetType, String.valueOf(value), failureMsg));
    return null;
  }

  @Override
  public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p,
      String failureMsg) throws IOException {
    add(pathAt(p), "expected " + describe(targetType.getRawClass()) + ", got " + describe(t, p));
    p.skipChildren();
    return null;
  }

  @Override
  public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass,
      ValueInstantiator valueInsta, JsonParser p, String msg) throws IOException {
    add(pathAt(p), "expected " + describe(instClass) + ", got " + describe(p.currentToken(), p));
    p.skipChildren();
    return null;
  }

  /** A YAML {@code !!binary} value where anything else is expected. */
  @Override
  public Object handleWeirdNativeValue(DeserializationContext ctxt, JavaType targetType, Object valueToConvert,
      JsonParser p) {
    add(pathAt(p), "expected " + describe(targetType.getRawClass()) + ", got binary data");
    return null;
  }

  /** The path of the value the parser is at (an opened object or list belongs to its parent's field). */
  static String pathAt(JsonParser p) {
    JsonStreamContext context = p.getParsingContext();
    JsonToken token = p.currentToken();
    if (token != null && token.isStructStart() && context.getParent() != null) {
      context = context.getParent();
    }
    return FieldPath.of(context);
  }

  private static String badValue(Class<?> targetType, String value, String failureMsg) {
    if (targetType.isEnum()) {
      return "unknown value " + value + ", expected one of " + constants(targetType);
    }
    if (Number.class.isAssignableFrom(targetType)) {
      return failureMsg; // WholeNumberDeserializer or DecimalDeserializer wrote it
    }
    return "expected " + describe(targetType) + ", got " + value;
  }

  private static String describe(Class<?> type) {
    if (type == Integer.class || type == Long.class) {
      return "an integer";
    }
    if (type == Double.class) {
      return "a number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type.isEnum()) {
      return "one of " + constants(type);
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    return Map.class.isAssignableFrom(type) ? "a map" : "an object";
  }

  private static String describe(JsonToken token, JsonParser p) throws IOException {
    if (token == null) {
      return "nothing";
    }
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "a list";
      case VALUE_STRING -> Problems.quote(p.getText());
      case VALUE_NULL -> "null";
      case VALUE_EMBEDDED_OBJECT -> embedded(p.getEmbeddedObject());
      default -> p.getText();
    };
  }

  /** A YAML {@code !!binary} value as it was written (base64); anything else embedded by its text. */
  private static String embedded(Object value) {
    return value instanceof byte[] bytes ? java.util.Base64.getEncoder().encodeToString(bytes) : String.valueOf(value);
  }

  private static String constants(Class<?> enumType) {
    return Arrays.stream(enumType.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
  }
}
