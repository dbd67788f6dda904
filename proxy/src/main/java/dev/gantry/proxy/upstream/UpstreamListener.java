package dev.gantry.proxy.upstream;

/**
 * What an upstream connection reports to the exchange using it. Every call arrives on the event loop that
 * owns both the client and the upstream connection.
 */
public interface UpstreamListener {

  /**
   * The connection asked for with {@code attempt} is ready for a request; {@code reused} when it came from
   * the keep-alive pool. May be called before {@code acquire} returns.
   */
  void upstreamConnected(UpstreamConnection connection, boolean reused, long attempt);

  /** Dialling for {@code attempt} failed: refused, unreachable, or timed out. May be called before return. */
  void upstreamConnectFailed(long attempt, Throwable cause);

  /** A decoded response part (or, in a tunnel, raw bytes). The listener owns {@code msg}. */
  void upstreamRead(Object msg);

  void upstreamReadComplete();

  void upstreamWritabilityChanged();

  /** The connection closed while this listener was attached. */
  void upstreamClosed();
}
