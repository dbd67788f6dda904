package dev.gantry.operator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.BackendProtocol;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppProtocolsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "none", value = {
      "kubernetes.io/h2c, H2C",
      "h2c, H2C",
      "grpc, H2C",
      "GRPC, H2C",
      "https, TLS",
      "kubernetes.io/https, TLS",
      "kubernetes.io/wss, TLS",
      "kubernetes.io/ws, HTTP1",
      "http, HTTP1",
      "example.com/custom, HTTP1",
      "none, HTTP1"})
  void mapsAServicePortsAppProtocolToABackendProtocol(String appProtocol, BackendProtocol expected) {
    assertThat(AppProtocols.protocolOf(appProtocol)).isEqualTo(expected);
  }
}
