package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.TestCertificates;
import dev.gantry.proxy.testing.TestCertificates.Authority;
import dev.gantry.proxy.testing.TestCertificates.KeyType;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ForwardedClientCertTest {

  static final Authority CA = TestCertificates.authority("XFCC Test Root");

  static String sha256(X509Certificate c) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
  }

  @Test
  void hashSubjectThenEveryUriAndDnsName() throws Exception {
    X509Certificate c = CA.issueClient("alice", "spiffe://shop/alice", "a.example.com", "b.example.com").certificate();

    assertThat(ForwardedClientCert.value(c)).isEqualTo("Hash=" + sha256(c)
        + ";Subject=\"CN=alice\";URI=spiffe://shop/alice;DNS=a.example.com;DNS=b.example.com");
  }

  @Test
  void theSubjectIsAlwaysQuotedWithQuotesEscapedAndOtherValuesOnlyWhenTheyHoldSeparators() throws Exception {
    X509Certificate c = CA.issueClient("Shop\\, \\\"Inc\\\"", "urn:x;y=1", "plain.example.com").certificate();

    assertThat(ForwardedClientCert.value(c)).isEqualTo("Hash=" + sha256(c)
        + ";Subject=\"CN=Shop\\, \\\\\"Inc\\\\\"\";URI=\"urn:x;y=1\";DNS=plain.example.com");
  }

  @Test
  void aCertificateWithoutAlternativeNamesHasHashAndSubjectOnly() throws Exception {
    X509Certificate c = CA.issue("server", KeyType.EC).certificate();

    // issue() always adds the IP address 127.0.0.1, which the header does not carry.
    assertThat(ForwardedClientCert.value(c)).isEqualTo("Hash=" + sha256(c) + ";Subject=\"CN=server\"");
  }

  @Test
  void whatAClientSentIsRemovedAndReplacedOnlyByAVerifiedCertificate() {
    HttpHeaders h = new DefaultHttpHeaders();
    h.add("X-Forwarded-Client-Cert", "Hash=00;Subject=\"CN=admin\"");
    h.add("x-forwarded-client-cert", "By=spiffe://forged");

    ForwardedClientCert.apply(h, ClientIdentity.ANONYMOUS);
    assertThat(h.contains("X-Forwarded-Client-Cert")).isFalse();

    h.add("X-Forwarded-Client-Cert", "Hash=00");
    ForwardedClientCert.apply(h, new ClientIdentity(false, "Hash=ab;Subject=\"CN=alice\""));
    assertThat(h.getAll("X-Forwarded-Client-Cert")).containsExactly("Hash=ab;Subject=\"CN=alice\"");
  }
}
