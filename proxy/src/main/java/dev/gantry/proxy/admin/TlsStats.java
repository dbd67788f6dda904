package dev.gantry.proxy.admin;

import java.util.function.Function;

/**
 * The TLS handshake series of one listener. The two versions a listener can negotiate are resolved up
 * front; anything else (which a configured minimum version should rule out) is looked up when it occurs.
 */
public final class TlsStats {

  private final Counter tls12;
  private final Counter tls13;
  private final Function<String, Counter> otherVersion;
  private final Counter failures;

  TlsStats(Function<String, Counter> byVersion, Counter failures) {
    this.tls12 = byVersion.apply("TLSv1.2");
    this.tls13 = byVersion.apply("TLSv1.3");
    this.otherVersion = byVersion;
    this.failures = failures;
  }

  /** A completed handshake; {@code protocol} as {@code SSLSession.getProtocol()} names it. */
  public void handshake(String protocol) {
    switch (protocol) {
      case "TLSv1.3" -> tls13.increment();
      case "TLSv1.2" -> tls12.increment();
      default -> otherVersion.apply(protocol).increment();
    }
  }

  public void failure() {
    failures.increment();
  }

  public long failures() {
    return failures.get();
  }
}
