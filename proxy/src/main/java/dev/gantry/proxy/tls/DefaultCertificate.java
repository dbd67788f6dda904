package dev.gantry.proxy.tls;

import static dev.gantry.proxy.tls.pem.DerWriter.bitString;
import static dev.gantry.proxy.tls.pem.DerWriter.bool;
import static dev.gantry.proxy.tls.pem.DerWriter.explicit;
import static dev.gantry.proxy.tls.pem.DerWriter.integer;
import static dev.gantry.proxy.tls.pem.DerWriter.octetString;
import static dev.gantry.proxy.tls.pem.DerWriter.oid;
import static dev.gantry.proxy.tls.pem.DerWriter.sequence;
import static dev.gantry.proxy.tls.pem.DerWriter.tlv;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * The certificate an HTTPS listener serves when it is given none: self-signed, so clients warn, but the
 * listener works and says what it is. Generated once per process (an EC P-256 key is fast to make); its
 * TBSCertificate (RFC 5280) is encoded here and signed with the JDK.
 */
public final class DefaultCertificate {

  public static final String SUBJECT = "CN=Gantry default certificate";

  private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private DefaultCertificate() {
  }

  public static ServerCertificate generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keys = generator.generateKeyPair();
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      byte[] name = new X500Principal(SUBJECT).getEncoded();
      byte[] algorithm = sequence(oid(ECDSA_WITH_SHA256));
      byte[] tbs = sequence(
          explicit(0, integer(2)), // v3
          integer(new BigInteger(64, new SecureRandom())),
          algorithm,
          name,
          sequence(time(now.minus(Duration.ofHours(1))), time(now.plus(Duration.ofDays(365)))),
          name,
          keys.getPublic().getEncoded(),
          explicit(3, sequence(
              extension(BASIC_CONSTRAINTS, true, sequence()), // cA defaults to false
              extension(KEY_USAGE, true, bitString(7, new byte[] {(byte) 0x80})), // digitalSignature
              extension(EXTENDED_KEY_USAGE, false, sequence(oid(SERVER_AUTH))))));
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(keys.getPrivate());
      signer.update(tbs);
      byte[] der = sequence(tbs, algorithm, bitString(0, signer.sign()));
      X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      return new ServerCertificate(List.of(cert), keys.getPrivate(), List.of(), "generated: " + SUBJECT);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate the default certificate: " + e.getMessage(), e);
    }
  }

  private static byte[] extension(String id, boolean critical, byte[] value) {
    return critical ? sequence(oid(id), bool(true), octetString(value)) : sequence(oid(id), octetString(value));
  }

  /** RFC 5280: UTCTime through 2049, GeneralizedTime from 2050. */
  private static byte[] time(Instant t) {
    boolean utc = t.atZone(ZoneOffset.UTC).getYear() < 2050;
    String text = (utc ? UTC_TIME : GENERALIZED_TIME).format(t);
    return tlv(utc ? 0x17 : 0x18, text.getBytes(StandardCharsets.US_ASCII));
  }
}
