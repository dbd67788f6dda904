package dev.gantry.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Decimal numbers (a mirror's percentage) that accept {@code 12.5} and {@code "12.5"}, as the integers of
 * {@link WholeNumberDeserializer} do, but never {@code true}, {@code .nan} or an infinity. Every refusal goes
 * through the context, so a recording problem handler sees it and binding carries on.
 */
final class DecimalDeserializer extends StdScalarDeserializer<Double> {

  private static final long serialVersionUID = 1L;
  /** What a number's text looks like, exponent included: a small share is written 1.0E-4. */
  private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,17}(\\.[0-9]{1,17})?([eE][-+]?[0-9]{1,3})?");

  DecimalDeserializer() {
    super(Double.class);
  }

  @Override
  public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      double value;
      try {
        value = p.getDoubleValue();
      } catch (IOException | NumberFormatException e) {
        value = Double.NaN; // YAML's .nan and .inf, which the parser cannot convert
      }
      if (Double.isFinite(value)) {
        return value;
      }
      return (Double) ctxt.handleWeirdStringValue(Double.class, p.getText(), "expected a number, got %s",
          p.getText());
    }
    if (token == JsonToken.VALUE_STRING) {
      String text = p.getText();
      if (DECIMAL.matcher(text).matches() && Double.isFinite(Double.parseDouble(text))) {
        return Double.parseDouble(text);
      }
      return (Double) ctxt.handleWeirdStringValue(Double.class, text, "expected a number, got %s",
          Problems.quote(text));
    }
    return (Double) ctxt.handleUnexpectedToken(Double.class, p);
  }
}
