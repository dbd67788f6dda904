package dev.gantry.proxy.l7;

import dev.gantry.proxy.upstream.UpstreamConnection;
import io.netty.handler.codec.http.HttpContent;
import java.util.ArrayList;
import java.util.List;

/**
 * The request body parts already sent to a backend, kept so that the request can be sent again to
 * another endpoint. Only small bodies are kept ({@link #LIMIT} bytes); past that the request can no longer
 * be retried once any of it was sent.
 */
final class ReplayBuffer {

  static final int LIMIT = 64 * 1024;

  private final List<HttpContent> parts = new ArrayList<>(2);
  private int bytes;
  private boolean replayable = true;

  /** Keeps a duplicate of {@code part}, which is about to be sent. */
  void record(HttpContent part) {
    if (!replayable) {
      return;
    }
    int n = part.content().readableBytes();
    if (bytes + n > LIMIT) {
      clear();
      replayable = false;
      return;
    }
    bytes += n;
    parts.add(part.retainedDuplicate());
  }

  /** Whether everything sent so far can be sent again. */
  boolean replayable() {
    return replayable;
  }

  /** Sends every kept part again, in order, on a new connection. */
  void resend(UpstreamConnection upstream) {
    for (HttpContent part : parts) {
      upstream.write(part.retainedDuplicate());
    }
  }

  /** Forgets the parts (a response started, or the exchange ended); ready for the next request. */
  void clear() {
    for (HttpContent part : parts) {
      part.release();
    }
    parts.clear();
    bytes = 0;
  }

  void reset() {
    clear();
    replayable = true;
  }
}
