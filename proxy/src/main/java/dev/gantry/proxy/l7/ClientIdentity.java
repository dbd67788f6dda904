package dev.gantry.proxy.l7;

import dev.gantry.proxy.tls.ClientValidation;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.security.cert.X509Certificate;

/**
 * What a connection's client certificate allows, settled once when its TLS handshake completes and kept on
 * the connection (HTTP/2 streams read their connection's).
 *
 * @param rejected the client sent a certificate that failed verification: every request gets 403
 * @param forwardedClientCert the {@code X-Forwarded-Client-Cert} value for the backend, or null for none
 */
record ClientIdentity(boolean rejected, String forwardedClientCert) {

  static final ClientIdentity ANONYMOUS = new ClientIdentity(false, null);
  private static final ClientIdentity REJECTED = new ClientIdentity(true, null);
  private static final AttributeKey<ClientIdentity> KEY = AttributeKey.valueOf(ClientIdentity.class, "identity");

  /** Judges the certificate of {@code channel}'s finished handshake and keeps the outcome on it. */
  static void establish(Channel channel, ClientValidation validation) {
    if (validation == null) {
      return;
    }
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    X509Certificate[] chain = ssl == null ? null : ClientValidation.peerChain(ssl.engine().getSession());
    ClientIdentity identity = switch (validation.check(chain)) {
      case NONE -> ANONYMOUS;
      case REJECTED -> REJECTED;
      case VERIFIED -> new ClientIdentity(false,
          validation.forward() ? ForwardedClientCert.value(chain[0]) : null);
    };
    channel.attr(KEY).set(identity);
  }

  /** The identity of the connection {@code channel} (a connection, or an HTTP/2 stream) belongs to. */
  static ClientIdentity of(Channel channel) {
    ClientIdentity id = channel.attr(KEY).get();
    if (id == null && channel.parent() != null) {
      id = channel.parent().attr(KEY).get();
    }
    return id == null ? ANONYMOUS : id;
  }
}
