package dev.gantry.proxy.upstream;

/**
 * What an upstream connection reports to the exchange using it. Every call arrives on the event loop that
 * owns both the client and the upstream connection.
 */
public interface UpstreamListener {

  /** The connection is ready for a request; {@code reused} when it came from the keep-alive pool. */
  void upstreamConnected(UpstreamConnection connection, boolean reused);

  /** Dialling {@code channel} failed: refused, unreachable, or timed out. */
  void upstreamConnectFailed(io.netty.channel.Channel channel, Throwable cause);

  /** A decoded response part (or, in a tunnel, raw bytes). The listener owns {@code msg}. */
  void upstreamRead(Object msg);

  void upstreamReadComplete();

  void upstreamWritabilityChanged();

  /** The connection closed while this listener was attached. */
  void upstreamClosed();
}
