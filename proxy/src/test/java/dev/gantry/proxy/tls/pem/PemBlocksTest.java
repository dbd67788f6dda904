package dev.gantry.proxy.tls.pem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PemBlocksTest {

  static List<PemBlock> read(String text) {
    return PemBlocks.read(text.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void readsBlocksInOrderSkippingTheTextAroundThem() {
    List<PemBlock> blocks = read("subject=CN = x\r\n-----BEGIN CERTIFICATE-----\r\nAQID\r\nBA==\r\n"
        + "-----END CERTIFICATE-----\r\nsome notes\n  -----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n"
        + "-----END EC PARAMETERS-----\n");
    assertThat(blocks).extracting(PemBlock::label).containsExactly("CERTIFICATE", "EC PARAMETERS");
    assertThat(blocks.get(0).der()).containsExactly(1, 2, 3, 4);
    assertThat(blocks.get(0).headers()).isEmpty();
    assertThat(blocks.get(1).der()).hasSize(10);
  }

  @Test
  void readsTheHeadersOfALegacyEncryptedKey() {
    List<PemBlock> blocks = read("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
        + "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nAQID\n-----END RSA PRIVATE KEY-----\n");
    assertThat(blocks.get(0).headers()).isEqualTo(Map.of("Proc-Type", "4,ENCRYPTED",
        "DEK-Info", "AES-128-CBC,00112233445566778899AABBCCDDEEFF"));
    assertThat(blocks.get(0).der()).containsExactly(1, 2, 3);
  }

  @Test
  void refusesABlockWithoutItsEndOrWithBadBase64NamingOnlyTheLabel() {
    assertThat(read("no blocks at all")).isEmpty();
    assertThatThrownBy(() -> read("-----BEGIN PRIVATE KEY-----\nAQID\n-----END CERTIFICATE-----\n"))
        .hasMessage("the PRIVATE KEY block has no END line");
    assertThatThrownBy(() -> read("-----BEGIN CERTIFICATE-----\nAQID\n-----BEGIN PRIVATE KEY-----\nAQID\n"
        + "-----END PRIVATE KEY-----\n")).hasMessage("the CERTIFICATE block has no END line");
    assertThatThrownBy(() -> read("-----BEGIN PRIVATE KEY-----\nSECRET*X\n-----END PRIVATE KEY-----\n"))
        .hasMessage("the PRIVATE KEY block is not valid base64");
    assertThatThrownBy(() -> read("-----BEGIN PRIVATE KEY-----\nAQIDB\n-----END PRIVATE KEY-----\n"))
        .hasMessage("the PRIVATE KEY block is not valid base64");
  }
}
