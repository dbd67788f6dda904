package dev.gantry.proxy.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * The TLS implementation HTTPS listeners use: BoringSSL through netty-tcnative where its native library
 * loads, the JDK's own TLS otherwise.
 *
 * @param description what was chosen and, for the JDK, why, for the start-up log
 */
public record TlsEngine(SslProvider provider, String description) {

  /**
   * Picks the engine.
   *
   * @param preference {@code auto} (BoringSSL when available), {@code openssl} (BoringSSL or fail) or
   *     {@code jdk}
   */
  public static TlsEngine select(String preference) {
    return switch (preference) {
      case "auto" -> OpenSsl.isAvailable() ? openSsl() : jdk("netty-tcnative unavailable: "
          + OpenSsl.unavailabilityCause());
      case "openssl" -> {
        OpenSsl.ensureAvailability();
        yield openSsl();
      }
      case "jdk" -> jdk("chosen");
      default -> throw new IllegalArgumentException("unknown TLS engine \"" + preference
          + "\": expected auto, openssl or jdk");
    };
  }

  private static TlsEngine openSsl() {
    return new TlsEngine(SslProvider.OPENSSL, OpenSsl.versionString() + " (netty-tcnative)");
  }

  private static TlsEngine jdk(String why) {
    return new TlsEngine(SslProvider.JDK, "JDK TLS (" + why + ")");
  }

  public boolean isOpenSsl() {
    return provider == SslProvider.OPENSSL;
  }
}
