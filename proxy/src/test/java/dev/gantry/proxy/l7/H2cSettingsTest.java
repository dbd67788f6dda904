package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.Http2Settings;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class H2cSettingsTest {

  /** base64url, unpadded, of the given 6-byte settings entries. */
  static String field(int... idValuePairs) {
    byte[] payload = new byte[idValuePairs.length * 3];
    for (int i = 0; i < idValuePairs.length; i += 2) {
      int at = i * 3;
      payload[at] = (byte) (idValuePairs[i] >>> 8);
      payload[at + 1] = (byte) idValuePairs[i];
      long value = idValuePairs[i + 1] & 0xffffffffL;
      for (int b = 0; b < 4; b++) {
        payload[at + 2 + b] = (byte) (value >>> (24 - 8 * b));
      }
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
  }

  @Test
  void decodesEachSetting() {
    Http2Settings s = H2cSettings.decode(field(3, 100, 4, 65535, 2, 0));
    assertThat(s).isNotNull();
    assertThat(s.maxConcurrentStreams()).isEqualTo(100L);
    assertThat(s.initialWindowSize()).isEqualTo(65535);
    assertThat(s.pushEnabled()).isFalse();
  }

  @Test
  void acceptsPaddingAndTheUrlAlphabet() {
    // 65535 is 0x0000ffff: its bytes encode with '_' in the URL alphabet ('/' in the standard one).
    assertThat(H2cSettings.decode("AAMAAABkAAQAAP__")).isNotNull();
    assertThat(H2cSettings.decode(Base64.getUrlEncoder().encodeToString(new byte[] {0, 3, 0, 0, 0, 100})))
        .isNotNull();
  }

  @Test
  void anEmptyFieldIsNoSettings() {
    assertThat(H2cSettings.decode("")).isNotNull().isEmpty();
  }

  @Test
  void ignoresSettingsItDoesNotKnow() {
    Http2Settings s = H2cSettings.decode(field(0x99, 7, 3, 10));
    assertThat(s).containsOnlyKeys((char) 3);
  }

  @Test
  void refusesWhatIsNotBase64Url() {
    assertThat(H2cSettings.decode("AAMAAABkAAQAAP//")).as("the standard alphabet").isNull();
    assertThat(H2cSettings.decode("not*base64")).isNull();
    assertThat(H2cSettings.decode(null)).isNull();
  }

  @Test
  void refusesAPayloadOfPartialEntries() {
    assertThat(H2cSettings.decode(Base64.getUrlEncoder().encodeToString(new byte[] {0, 3, 0, 0, 0}))).isNull();
  }

  @Test
  void refusesValuesOutOfTheirRange() {
    assertThat(H2cSettings.decode(field(2, 2))).as("ENABLE_PUSH 2").isNull();
    assertThat(H2cSettings.decode(field(5, 100))).as("MAX_FRAME_SIZE below 16384").isNull();
    assertThat(H2cSettings.decode(field(4, 0x80000000))).as("INITIAL_WINDOW_SIZE above 2^31-1").isNull();
  }
}
