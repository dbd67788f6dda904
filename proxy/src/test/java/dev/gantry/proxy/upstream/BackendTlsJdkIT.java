package dev.gantry.proxy.upstream;

import dev.gantry.proxy.GantryProxy;
import dev.gantry.proxy.testing.ProxyFixture;

/** TLS to backends with the JDK's TLS, the engine used where netty-tcnative has no native library. */
class BackendTlsJdkIT extends BackendTlsIT {

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
