package dev.gantry.proxy.tls;

import dev.gantry.proxy.GantryProxy;
import dev.gantry.proxy.testing.ProxyFixture;

/** Client certificates with the JDK's TLS, the engine used where netty-tcnative has no native library. */
class ClientCertificatesJdkTlsIT extends ClientCertificatesIT {

  @Override
  ProxyFixture startProxy() {
    System.setProperty(GantryProxy.TLS_ENGINE_PROPERTY, "jdk");
    try {
      return ProxyFixture.start();
    } finally {
      System.clearProperty(GantryProxy.TLS_ENGINE_PROPERTY);
    }
  }
}
