package dev.gantry.proxy.l7;

import dev.gantry.proxy.GantryProxy;
import dev.gantry.proxy.testing.ProxyFixture;

/** HTTPS with the JDK's TLS, the engine used where netty-tcnative has no native library. */
class HttpsJdkTlsIT extends HttpsContract {

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
