package dev.gantry.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.proxy.testing.ExternalCommand;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys and certificates exactly as {@code openssl} writes them, read with the JDK alone: every key layout,
 * chains, combined files, encrypted and damaged keys, and common names that need care.
 */
class OpensslPemTest {

  @TempDir
  static Path dir;

  @BeforeAll
  static void needsOpenssl() {
    Assumptions.assumeTrue(ExternalCommand.available("openssl"), "openssl is not installed");
  }

  static String openssl(String... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    ExternalCommand.Result r = ExternalCommand.run(command, "");
    assertThat(r.exitCode()).as("%s: %s", command, r.stderr()).isZero();
    return r.stdout();
  }

  static String file(String name) throws Exception {
    return Files.readString(dir.resolve(name), StandardCharsets.US_ASCII);
  }

  static String path(String name) {
    return dir.resolve(name).toString();
  }

  /** A self-signed certificate for {@code key}, with the given subject and optional SAN extension. */
  static String selfSigned(String key, String subject, String... extra) throws Exception {
    String out = key + "-" + Integer.toHexString(subject.hashCode()) + ".crt";
    List<String> args = new ArrayList<>(List.of("req", "-x509", "-new", "-key", path(key), "-subj", subject,
        "-days", "2", "-out", path(out)));
    args.addAll(List.of(extra));
    openssl(args.toArray(String[]::new));
    return file(out);
  }

  static ServerCertificate load(String cert, String key) throws CertificateLoadException {
    return PemCertificates.load(new PemMaterial("site.crt", cert.getBytes(StandardCharsets.US_ASCII), "site.key",
        key.getBytes(StandardCharsets.US_ASCII)));
  }

  static BigInteger secret(ServerCertificate c) {
    return ((ECPrivateKey) c.key()).getS();
  }

  @Test
  void readsPkcs1AndPkcs8RsaKeys() throws Exception {
    openssl("genrsa", "-traditional", "-out", path("rsa1.key"), "2048");
    openssl("pkey", "-in", path("rsa1.key"), "-out", path("rsa8.key"));
    String cert = selfSigned("rsa1.key", "/CN=rsa.example.com", "-addext", "subjectAltName=DNS:RSA.example.com");
    assertThat(file("rsa1.key")).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(file("rsa8.key")).startsWith("-----BEGIN PRIVATE KEY-----");
    ServerCertificate pkcs1 = load(cert, file("rsa1.key"));
    assertThat(pkcs1.key().getAlgorithm()).isEqualTo("RSA");
    assertThat(pkcs1.names()).containsExactly("rsa.example.com");
    assertThat(((RSAPrivateKey) load(cert, file("rsa8.key")).key()).getPrivateExponent())
        .isEqualTo(((RSAPrivateKey) pkcs1.key()).getPrivateExponent());
  }

  @Test
  void readsSec1EcKeysWithAndWithoutEcParameters() throws Exception {
    openssl("ecparam", "-genkey", "-name", "prime256v1", "-out", path("ec-params.key"));
    String written = file("ec-params.key");
    assertThat(written).startsWith("-----BEGIN EC PARAMETERS-----").contains("-----BEGIN EC PRIVATE KEY-----");
    String cert = selfSigned("ec-params.key", "/CN=ec.example.com");
    ServerCertificate withParameters = load(cert, written);
    assertThat(withParameters.key().getAlgorithm()).isEqualTo("EC");
    String sec1 = written.substring(written.indexOf("-----BEGIN EC PRIVATE KEY-----"));
    assertThat(secret(load(cert, sec1))).isEqualTo(secret(withParameters));

    // A SEC1 key that leaves its curve out entirely: only the EC PARAMETERS block before it names P-256.
    byte[] der = Base64.getMimeDecoder().decode(sec1.replaceAll("-----[A-Z ]+-----", ""));
    byte[] bare = new byte[2 + 3 + 34];
    bare[0] = 0x30;
    bare[1] = (byte) (bare.length - 2);
    System.arraycopy(der, 2, bare, 2, bare.length - 2); // version 1 and the 32-byte private key
    String bareSec1 = "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(bare)
        + "\n-----END EC PRIVATE KEY-----\n";
    String parameters = written.substring(0, written.indexOf("-----BEGIN EC PRIVATE KEY-----"));
    assertThat(secret(load(cert, parameters + bareSec1))).isEqualTo(secret(withParameters));
    assertThatThrownBy(() -> load(cert, bareSec1))
        .hasMessage("site.key: not a readable PEM private key: the EC private key does not name its curve "
            + "(no EC PARAMETERS)");
  }

  @Test
  void readsPkcs8EcAndEdwardsKeys() throws Exception {
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", path("ec8.key"));
    openssl("genpkey", "-algorithm", "ED25519", "-out", path("ed25519.key"));
    openssl("genpkey", "-algorithm", "ED448", "-out", path("ed448.key"));
    assertThat(file("ec8.key")).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(load(selfSigned("ec8.key", "/CN=ec384.example.com"), file("ec8.key")).key().getAlgorithm())
        .isEqualTo("EC");
    ServerCertificate ed25519 = load(selfSigned("ed25519.key", "/CN=Ed.Example.com"), file("ed25519.key"));
    assertThat(ed25519.key().getAlgorithm()).isIn("Ed25519", "EdDSA");
    assertThat(ed25519.names()).containsExactly("ed.example.com");
    assertThat(load(selfSigned("ed448.key", "/CN=ed448.example.com"), file("ed448.key")).names())
        .containsExactly("ed448.example.com");
  }

  @Test
  void keepsTheChainInFileOrderAndReadsCertificateAndKeyFromOneFile() throws Exception {
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
        path("root.key"), "-subj", "/CN=Root", "-days", "2", "-out", path("root.crt"));
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
        path("mid.key"), "-subj", "/CN=Intermediate", "-out", path("mid.csr"));
    Files.writeString(dir.resolve("ca.ext"), "basicConstraints=critical,CA:TRUE\n");
    openssl("x509", "-req", "-in", path("mid.csr"), "-CA", path("root.crt"), "-CAkey", path("root.key"),
        "-CAcreateserial", "-days", "2", "-extfile", path("ca.ext"), "-out", path("mid.crt"));
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
        path("leaf.key"), "-subj", "/CN=leaf.example.com", "-out", path("leaf.csr"));
    openssl("x509", "-req", "-in", path("leaf.csr"), "-CA", path("mid.crt"), "-CAkey", path("mid.key"),
        "-CAcreateserial", "-days", "2", "-out", path("leaf.crt"));
    String both = "leaf, then its issuers\n" + file("leaf.crt") + "\n# intermediate\n" + file("mid.crt")
        + file("root.crt") + "and its key:\n" + file("leaf.key");
    ServerCertificate c = load(both, both);
    assertThat(c.chain()).extracting(x -> x.getSubjectX500Principal().getName())
        .containsExactly("CN=leaf.example.com", "CN=Intermediate", "CN=Root");
    assertThat(c.names()).containsExactly("leaf.example.com");
  }

  @Test
  void refusesEncryptedKeysInBothForms() throws Exception {
    openssl("ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", path("plain.key"));
    String cert = selfSigned("plain.key", "/CN=enc.example.com");
    openssl("pkey", "-in", path("plain.key"), "-aes256", "-passout", "pass:secret", "-out", path("pkcs8.enc"));
    openssl("ec", "-in", path("plain.key"), "-aes128", "-passout", "pass:secret", "-out", path("legacy.enc"));
    assertThat(file("pkcs8.enc")).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    assertThat(file("legacy.enc")).contains("Proc-Type: 4,ENCRYPTED");
    for (String key : List.of(file("pkcs8.enc"), file("legacy.enc"))) {
      assertThatThrownBy(() -> load(cert, key)).isInstanceOf(CertificateLoadException.class)
          .hasMessage("site.key: the private key is encrypted; give it unencrypted "
              + "(openssl pkey -in KEY -out KEY.plain) and protect the file instead");
    }
  }

  @Test
  void damagedKeysAreRefusedWithoutShowingTheirBytes() throws Exception {
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path("good.key"));
    String cert = selfSigned("good.key", "/CN=damaged.example.com");
    String[] lines = file("good.key").split("\n");
    String begin = lines[0];
    String end = lines[lines.length - 1];
    String truncated = begin + "\n" + lines[1] + "\n" + end + "\n";
    String garbled = begin + "\n" + lines[1].substring(0, 10) + "!?" + lines[1].substring(12) + "\n"
        + lines[2] + "\n" + end + "\n";
    String unterminated = begin + "\n" + lines[1] + "\n";
    assertThatThrownBy(() -> load(cert, truncated)).hasMessageStartingWith("site.key: not a readable PEM private key: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(lines[1]));
    assertThatThrownBy(() -> load(cert, garbled))
        .hasMessage("site.key: not a readable PEM private key: the PRIVATE KEY block is not valid base64");
    assertThatThrownBy(() -> load(cert, unterminated))
        .hasMessage("site.key: not a readable PEM private key: the PRIVATE KEY block has no END line");
  }

  @Test
  void aKeyOfAnotherPairIsRefused() throws Exception {
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path("mine.key"));
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path("theirs.key"));
    String cert = selfSigned("mine.key", "/CN=mine.example.com");
    assertThatThrownBy(() -> load(cert, file("theirs.key")))
        .hasMessage("site.key: the private key does not match the certificate in site.crt (a different key pair)");
  }

  @Test
  void commonNamesWithCommasAndPlusesAreReadWhole() throws Exception {
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path("cn.key"));
    assertThat(load(selfSigned("cn.key", "/O=Acme, Inc./CN=Shop,Example.com"), file("cn.key")).names())
        .containsExactly("shop,example.com");
    assertThat(load(selfSigned("cn.key", "/CN=a\\+b.example.com/O=Acme"), file("cn.key")).names())
        .containsExactly("a+b.example.com");
    String multiValued = selfSigned("cn.key", "/O=Acme+CN=multi.example.com", "-multivalue-rdn");
    assertThat(load(multiValued, file("cn.key")).leaf().getSubjectX500Principal().getName())
        .isEqualTo("O=Acme+CN=multi.example.com"); // the CN is not the first value of its RDN
    assertThat(load(multiValued, file("cn.key")).names()).containsExactly("multi.example.com");
  }
}
