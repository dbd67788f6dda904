package dev.gantry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest(name = "{0} = {1} ms")
  @CsvSource({
      "500ms, 500",
      "5s, 5000",
      "1m30s, 90000",
      "1h, 3600000",
      "0s, 0",
      "1h1m1s1ms, 3661001",
      "90m, 5400000",
      "1s1s, 2000",         // Go's time.ParseDuration adds repeated units up, and so does the Gateway API
      "99999h, 359996400000",
      "10ms5s, 5010"})
  void parsesGatewayApiDurations(String text, long millis) {
    assertThat(Durations.isValid(text)).isTrue();
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "5", "1.5s", "-1s", "1d", "100000h", "1H", " 1s", "1s ", "1h1m1s1ms1h", "s", "5 s",
      "1us", "PT5S"})
  void refusesEverythingElse(String text) {
    assertThat(Durations.isValid(text)).isFalse();
    assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid duration \"" + text + "\": expected a Gateway API duration such as 500ms, 5s, 1m30s or 1h");
  }

  @ParameterizedTest(name = "{0} ms = {1}")
  @CsvSource({
      "0, 0s",
      "500, 500ms",
      "1500, 1s500ms",
      "90000, 1m30s",
      "3600000, 1h",
      "3661001, 1h1m1s1ms",
      "86400000, 24h",
      "359999999999, 99999h59m59s999ms"})
  void formatsTheShortestForm(long millis, String text) {
    assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"90m, 1h30m", "1s1s, 2s", "3600s, 1h", "1000ms, 1s", "0h0m, 0s", "59m60s, 1h"})
  void formatsInCanonicalOrder(String text, String canonical) {
    assertThat(Durations.format(Durations.parse(text))).isEqualTo(canonical);
  }

  @Test
  void dropsWhatIsBelowAMillisecond() {
    assertThat(Durations.format(Duration.ofNanos(1_500_000))).isEqualTo("1ms");
    assertThat(Durations.format(Duration.ofNanos(999))).isEqualTo("0s");
  }

  @Test
  void refusesToFormatWhatTheFormCannotExpress() {
    assertThatThrownBy(() -> Durations.format(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> Durations.format(Duration.ofHours(100_000)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("99999h59m59s999ms");
  }

  @Test
  void timeoutsFallBackToTheirDefaults() {
    Timeouts timeouts = new Timeouts("1s", null, null, "500ms", null);
    assertThat(timeouts.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(timeouts.clientTimeout()).isEqualTo(Duration.ofSeconds(50));
    assertThat(timeouts.httpRequestTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(Timeouts.DEFAULTS.tunnelTimeout()).isEqualTo(Duration.ofHours(1));
  }
}
