package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Any header value (the input's bytes as ISO-8859-1, as HTTP field values are): the in-place {@code grpc-timeout} parser agrees with a plain reading of the grammar (a regular
 * expression and arbitrary-precision arithmetic), never throws, and never answers a negative time.
 */
class GrpcTimeoutFuzzTest {

  private static final Pattern GRAMMAR = Pattern.compile("([0-9]{1,8})([HMSmun])");

  @FuzzTest(maxDuration = "4s")
  void agreesWithTheGrammar(byte[] input) {
    String value = new String(input, StandardCharsets.ISO_8859_1);
    long parsed = GrpcTimeout.nanos(value);
    Matcher m = GRAMMAR.matcher(value);
    if (!m.matches()) {
      assertThat(parsed).isEqualTo(GrpcTimeout.NONE);
      return;
    }
    long unit = switch (m.group(2)) {
      case "H" -> 3_600_000_000_000L;
      case "M" -> 60_000_000_000L;
      case "S" -> 1_000_000_000L;
      case "m" -> 1_000_000L;
      case "u" -> 1_000L;
      default -> 1L;
    };
    BigInteger exact = new BigInteger(m.group(1)).multiply(BigInteger.valueOf(unit));
    long expected = exact.bitLength() < 64 ? exact.longValueExact() : Long.MAX_VALUE;
    assertThat(parsed).isEqualTo(expected).isNotNegative();
  }
}
