package dev.gantry.proxy.upstream;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the proxy knows of one endpoint while it serves traffic: how many requests or connections it has
 * now, and whether it may take new ones. Shared by every event loop, so every field is atomic or volatile.
 * Callers report each use: {@link #opened()} when a request or connection starts using the endpoint,
 * {@link #closed()} when it ends, and {@link #connectFailed()} / {@link #connectSucceeded()} for dials.
 */
public final class EndpointState {

  private final AtomicInteger active = new AtomicInteger();

  /** Requests (HTTP) or connections (TCP) using the endpoint now. */
  public int active() {
    return active.get();
  }

  public void opened() {
    active.incrementAndGet();
  }

  public void closed() {
    active.decrementAndGet();
  }

  public void connectFailed() {
  }

  public void connectSucceeded() {
  }

  /** Whether the endpoint may be picked for new traffic. */
  public boolean available() {
    return true;
  }
}
