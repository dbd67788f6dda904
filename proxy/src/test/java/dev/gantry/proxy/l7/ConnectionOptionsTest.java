package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class ConnectionOptionsTest {

  private static HttpHeaders connection(String... values) {
    HttpHeaders h = new DefaultHttpHeaders();
    for (String v : values) {
      h.add("Connection", v);
    }
    return h;
  }

  @Test
  void framingFieldsAreFoundInAnyValueWhateverTheirCaseAndSpacing() {
    assertThat(ConnectionOptions.namesFramingHeader(connection())).isFalse();
    assertThat(ConnectionOptions.namesFramingHeader(connection("keep-alive"))).isFalse();
    assertThat(ConnectionOptions.namesFramingHeader(connection("close, x-content-length"))).isFalse();
    assertThat(ConnectionOptions.namesFramingHeader(connection("close,\tContent-Length "))).isTrue();
    assertThat(ConnectionOptions.namesFramingHeader(connection("keep-alive", "TRANSFER-ENCODING"))).isTrue();
    assertThat(ConnectionOptions.namesFramingHeader(connection(",,host,"))).isTrue();
    assertThat(ConnectionOptions.namesFramingHeader(connection("hostx"))).isFalse();
  }

  @Test
  void onlyOptionsNamingOtherFieldsNeedCopying() {
    assertThat(ConnectionOptions.namesOtherFields(connection())).isFalse();
    assertThat(ConnectionOptions.namesOtherFields(connection("Keep-Alive"))).isFalse();
    assertThat(ConnectionOptions.namesOtherFields(connection("close , upgrade,", "", "transfer-encoding"))).isFalse();
    assertThat(ConnectionOptions.namesOtherFields(connection("keep-alive, X-Secret"))).isTrue();
    assertThat(ConnectionOptions.namesOtherFields(connection("close", "te"))).isTrue();
    assertThat(ConnectionOptions.namesOtherFields(connection("closed"))).isTrue();
  }

  @Test
  void strippingRemovesTheFieldsConnectionNamesAndKeepsTheFramingOnes() {
    HttpHeaders h = connection("keep-alive, X-Secret", "upgrade");
    h.add("X-Secret", "s").add("X-Kept", "k").add("Upgrade", "websocket").add("Keep-Alive", "timeout=5")
        .add("Transfer-Encoding", "chunked");
    ForwardingHeaders.stripHopByHop(h, true);
    assertThat(h.names()).containsExactlyInAnyOrder("X-Kept", "Upgrade", "Transfer-Encoding");

    HttpHeaders plain = connection("Keep-Alive");
    plain.add("Keep-Alive", "timeout=5").add("X-Kept", "k");
    ForwardingHeaders.stripHopByHop(plain, false);
    assertThat(plain.names()).containsExactly("X-Kept");
  }
}
