package dev.gantry.proxy.l7;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * What a client connection sent while an exchange was running: the rest of the request body, and pipelined
 * requests. One read can hold thousands of small pipelined requests, all decoded at once, so at most
 * {@link #MAX_WAITING_REQUESTS} requests wait here: past that the proxy stops taking input from the
 * connection, answers the requests it kept, and closes it (RFC 9112 section 9.3.2: a pipelining client
 * sends again what was left unanswered).
 */
final class InboundQueue {

  /** Most pipelined requests kept waiting on one connection. */
  static final int MAX_WAITING_REQUESTS = 64;

  private final ArrayDeque<Object> items = new ArrayDeque<>(4);
  private final Runnable onOverflow;
  private int waitingRequests;
  private boolean overflowed;

  /** @param onOverflow runs once, when the connection sent more requests than are kept */
  InboundQueue(Runnable onOverflow) {
    this.onOverflow = onOverflow;
  }

  boolean isEmpty() {
    return items.isEmpty();
  }

  /** Keeps {@code msg} for later, or releases it once the connection sent more than is kept. */
  void add(Object msg) {
    if (overflowed) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest) {
      if (waitingRequests == MAX_WAITING_REQUESTS) {
        overflowed = true;
        ReferenceCountUtil.release(msg);
        onOverflow.run();
        return;
      }
      waitingRequests++;
    }
    items.add(msg);
  }

  Object peek() {
    return items.peek();
  }

  Object poll() {
    Object msg = items.poll();
    if (msg instanceof HttpRequest) {
      waitingRequests--;
    }
    return msg;
  }

  /** True (and {@code msg} released) when input is no longer taken from this connection. */
  boolean refuses(Object msg) {
    if (overflowed) {
      ReferenceCountUtil.release(msg);
      return true;
    }
    return false;
  }

  /** Input was refused and every request kept has been taken: the connection closes after this answer. */
  boolean lastKeptTaken() {
    return overflowed && waitingRequests == 0;
  }

  void releaseAll() {
    Object msg;
    while ((msg = items.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
    waitingRequests = 0;
  }
}
