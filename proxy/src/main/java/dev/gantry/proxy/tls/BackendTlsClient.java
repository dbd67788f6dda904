package dev.gantry.proxy.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS client side of one backend: one context shared by every event loop, so sessions are cached and a
 * new connection to an endpoint resumes the last session with it. Each connection gets an {@link SslHandler}
 * sending {@code serverName} as SNI (by default the endpoint's host name) and verifying it.
 */
public final class BackendTlsClient {

  private static final Logger LOG = LoggerFactory.getLogger(BackendTlsClient.class);
  static final long REPEAT_LOG_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** {@code namespace/name) backend name}, completing the log lines' {@code LoadBalancer(} prefix. */
  private final String owner;
  private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();
  private final Map<String, String> lastReason = new ConcurrentHashMap<>();
  private final SslContext context;
  private final String serverName;
  private final boolean h2;

  BackendTlsClient(String owner, SslContext context, String serverName, boolean h2) {
    this.owner = owner;
    this.context = context;
    this.serverName = serverName;
    this.h2 = h2;
  }

  /** Whether connections must negotiate HTTP/2 with ALPN (protocol H2). */
  public boolean h2() {
    return h2;
  }

  /** A client handler for a new connection to {@code endpoint}; the handshake must end within the timeout. */
  public SslHandler newHandler(ByteBufAllocator alloc, InetSocketAddress endpoint, long handshakeTimeoutMillis) {
    String name = serverName != null ? serverName : endpoint.getHostString();
    // The peer host keys the session cache and is the name the trust manager verifies.
    SslHandler handler = context.newHandler(alloc, name, endpoint.getPort());
    if (!NetUtil.isValidIpV4Address(name) && !NetUtil.isValidIpV6Address(name)) {
      SSLEngine engine = handler.engine();
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(name)));
      engine.setSSLParameters(parameters);
    }
    handler.setHandshakeTimeoutMillis(Math.max(1, handshakeTimeoutMillis));
    return handler;
  }

  /**
   * Logs why a handshake with {@code endpoint} failed, in words an operator can act on; the same reason for
   * the same endpoint at most every {@link #REPEAT_LOG_NANOS}, since health checks and retries repeat it.
   */
  public void handshakeFailed(InetSocketAddress endpoint, Throwable cause) {
    String reason = reason(cause);
    String where = endpoint.getHostString() + ":" + endpoint.getPort();
    long now = System.nanoTime();
    Long last = lastLogged.get(where);
    if (last != null && now - last < REPEAT_LOG_NANOS && reason.equals(lastReason.get(where))) {
      return;
    }
    lastLogged.put(where, now);
    lastReason.put(where, reason);
    LOG.warn("LoadBalancer({}: TLS handshake with {} failed: {}", owner, where, reason);
  }

  /** The most telling reason in a chain of handshake exceptions. */
  static String reason(Throwable cause) {
    Throwable root = cause;
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof BackendTrustManager.NameMismatchException) {
        return t.getMessage();
      }
      if (t instanceof CertificateExpiredException) {
        return "certificate expired (" + t.getMessage() + ")";
      }
      if (t instanceof CertificateNotYetValidException) {
        return "certificate not yet valid (" + t.getMessage() + ")";
      }
      if (t instanceof CertPathValidatorException v && v.getReason() != null
          && "EXPIRED".equals(v.getReason().toString())) {
        return "certificate expired";
      }
      root = t;
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    if (message.contains("unable to find valid certification path")) {
      return "certificate not issued by a CA of caFile (" + message + ")";
    }
    return message;
  }
}
