package dev.gantry.proxy.tls.pem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DerTest {

  static byte[] hex(String h) {
    return HexFormat.of().parseHex(h);
  }

  @Test
  void encodesAndDecodesObjectIdentifiers() {
    assertThat(DerWriter.oid("1.2.840.113549.1.1.1")).isEqualTo(hex("06092a864886f70d010101"));
    assertThat(DerWriter.oid("1.2.840.10045.3.1.7")).isEqualTo(hex("06082a8648ce3d030107"));
    assertThat(DerWriter.oid("2.5.29.19")).isEqualTo(hex("0603551d13"));
    for (String oid : new String[] {"1.3.101.112", "1.3.6.1.5.5.7.3.1", "2.999.3", "1.2.840.113549.1.1.10"}) {
      assertThat(new DerReader(DerWriter.oid(oid)).next().oid()).isEqualTo(oid);
    }
  }

  @Test
  void writesShortAndLongLengthsThatReadBack() {
    assertThat(DerWriter.sequence(DerWriter.integer(0), DerWriter.nullValue())).isEqualTo(hex("300502010005 00".replace(" ", "")));
    byte[] big = new byte[300];
    byte[] encoded = DerWriter.octetString(big);
    assertThat(encoded).startsWith(hex("0482012c"));
    DerReader.Value v = new DerReader(encoded).next(DerReader.OCTET_STRING);
    assertThat(v.content()).hasSize(300);
    assertThat(v.encoded()).isEqualTo(encoded);
    assertThat(DerWriter.bitString(7, new byte[] {(byte) 0x80})).isEqualTo(hex("03020780"));
    assertThat(DerWriter.bool(true)).isEqualTo(hex("0101ff"));
  }

  @Test
  void walksIntoConstructedValues() {
    byte[] der = DerWriter.sequence(DerWriter.integer(1), DerWriter.explicit(0, DerWriter.oid("1.2.3")));
    DerReader children = new DerReader(der).next(DerReader.SEQUENCE).children();
    assertThat(children.next().integer()).isEqualTo(1);
    assertThat(children.next().childrenOf(0xa0).next().oid()).isEqualTo("1.2.3");
    assertThat(children.hasNext()).isFalse();
  }

  @Test
  void refusesMalformedInputWithoutQuotingIt() {
    assertThatThrownBy(() -> new DerReader(hex("3005020100")).next())
        .hasMessage("DER: a value runs past the end of its container");
    assertThatThrownBy(() -> new DerReader(hex("30800000")).next()).hasMessage("DER: indefinite length");
    assertThatThrownBy(() -> new DerReader(hex("30")).next()).hasMessage("DER: truncated value");
    assertThatThrownBy(() -> new DerReader(hex("020101")).next(DerReader.SEQUENCE))
        .hasMessage("DER: tag 0x02 where 0x30 was expected");
    assertThatThrownBy(() -> new DerReader(hex("06022a86")).next().oid())
        .hasMessage("DER: truncated object identifier");
  }
}
