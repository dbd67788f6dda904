package dev.gantry.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.model.LoadResult;
import dev.gantry.model.ModelLoader;
import dev.gantry.model.ValidationMode;
import dev.gantry.proxy.tls.CertificateLoadException;
import dev.gantry.proxy.tls.CertificateResolver;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a cluster-mode proxy takes from its bundle Secret besides listener certificates. */
class BundleCertificatesTest {

  static final String MODEL = """
      apiVersion: gantry.dev/v1alpha1
      kind: LoadBalancer
      metadata: {name: shop, namespace: web}
      spec:
        listeners:
        - name: https
          port: 8443
          protocol: HTTPS
          defaultBackend: api
          tls:
            certificates: [{certFile: shop-tls.crt, keyFile: shop-tls.key}]
            clientCertificates: {mode: Require, caFile: Listener.https.ca.crt, crlFile: Listener.https.ca.crl}
        backends:
        - name: api
          endpoints: [{address: 10.0.0.1, port: 443}]
          protocol: TLS
          tls: {caFile: Backend.api.ca.crt, certificateFile: client.crt, keyFile: client.key}
      """;

  @Test
  void everyFileTheResolvedModelNamesIsAKeyOfTheBundle() {
    LoadResult r = ModelLoader.load("model", MODEL, ValidationMode.RESOLVED);
    assertThat(r.diagnostics()).isEmpty();
    assertThat(BundleKeys.of(r.loadBalancers().get(0))).containsExactly("shop-tls.crt", "shop-tls.key",
        "Listener.https.ca.crt", "Listener.https.ca.crl", "Backend.api.ca.crt", "client.crt", "client.key");
  }

  @Test
  void caBundlesAreReadFromTheBundleAndAMissingKeyIsNamed() throws Exception {
    String pem = "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n";
    BundleCertificates bundle = BundleCertificates.fromSecretData(Map.of("Backend.api.ca.crt",
        Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII))));
    CertificateResolver resolver = bundle.resolver("web/gantry-shop-tls");

    assertThat(new String(resolver.readFile("web/shop", "Backend.api.ca.crt").text(), StandardCharsets.US_ASCII))
        .isEqualTo(pem);
    assertThat(resolver.readFile("web/shop", "Backend.api.ca.crt").source())
        .isEqualTo("Secret web/gantry-shop-tls key Backend.api.ca.crt");
    assertThatThrownBy(() -> resolver.readFile("web/shop", "Listener.https.ca.crt"))
        .isInstanceOf(CertificateLoadException.class)
        .hasMessage("Secret web/gantry-shop-tls has no key Listener.https.ca.crt");
  }
}
