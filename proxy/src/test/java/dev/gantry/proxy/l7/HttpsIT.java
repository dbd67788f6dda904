package dev.gantry.proxy.l7;

import dev.gantry.proxy.testing.ProxyFixture;

/** HTTPS with the TLS engine the proxy picks by itself: BoringSSL through netty-tcnative on this platform. */
class HttpsIT extends HttpsContract {

  @Override
  ProxyFixture startProxy() {
    return ProxyFixture.start();
  }
}
