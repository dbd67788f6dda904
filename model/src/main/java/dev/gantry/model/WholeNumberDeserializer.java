package dev.gantry.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.util.function.LongFunction;
import java.util.regex.Pattern;

/**
 * Integers that accept {@code 8080} and {@code "8080"} (YAML users quote things) but never truncate
 * {@code 80.5} or read {@code true} as 1. Every refusal goes through the context, so a recording problem
 * handler sees it and binding carries on.
 */
final class WholeNumberDeserializer<T extends Number> extends StdScalarDeserializer<T> {

  private static final long serialVersionUID = 1L;
  private static final Pattern DIGITS = Pattern.compile("-?[0-9]{1,18}");

  private final long min;
  private final long max;
  private final String rangeName;
  private final transient LongFunction<T> box;

  WholeNumberDeserializer(Class<T> type, long min, long max, String rangeName, LongFunction<T> box) {
    super(type);
    this.min = min;
    this.max = max;
    this.rangeName = rangeName;
    this.box = box;
  }

  static WholeNumberDeserializer<Integer> integers() {
    return new WholeNumberDeserializer<>(Integer.class, Integer.MIN_VALUE, Integer.MAX_VALUE,
        "a 32-bit integer", n -> (int) n);
  }

  static WholeNumberDeserializer<Long> longs() {
    return new WholeNumberDeserializer<>(Long.class, Long.MIN_VALUE, Long.MAX_VALUE, "a 64-bit integer", n -> n);
  }

  @Override
  public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT) {
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || !inRange(p.getLongValue())) {
        return refuseNumber(ctxt, p.getNumberValue(), "expected " + rangeName + ", got " + p.getText());
      }
      return box.apply(p.getLongValue());
    }
    if (token == JsonToken.VALUE_NUMBER_FLOAT) {
      return refuseNumber(ctxt, p.getNumberValue(), "expected an integer, got " + p.getText());
    }
    if (token == JsonToken.VALUE_STRING) {
      String text = p.getText();
      if (!DIGITS.matcher(text).matches()) {
        return handledType().cast(ctxt.handleWeirdStringValue(handledType(), text,
            "expected an integer, got %s", Problems.quote(text)));
      }
      long value = Long.parseLong(text);
      if (!inRange(value)) {
        return handledType().cast(ctxt.handleWeirdStringValue(handledType(), text,
            "expected %s, got %s", rangeName, text));
      }
      return box.apply(value);
    }
    return handledType().cast(ctxt.handleUnexpectedToken(handledType(), p));
  }

  private boolean inRange(long value) {
    return value >= min && value <= max;
  }

  private T refuseNumber(DeserializationContext ctxt, Number value, String message) throws IOException {
    return handledType().cast(ctxt.handleWeirdNumberValue(handledType(), value, "%s", message));
  }

  @SuppressWarnings("unchecked")
  @Override
  public Class<T> handledType() {
    return (Class<T>) super.handledType();
  }
}
