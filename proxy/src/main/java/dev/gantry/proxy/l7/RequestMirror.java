package dev.gantry.proxy.l7;

import dev.gantry.proxy.config.MirrorTarget;
import dev.gantry.proxy.config.RouteRuntime;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Copies the current exchange's request to the route's mirrors (Gateway API's RequestMirror), each with its
 * own share decided per request: the head as the backend gets it (after the route's header edits and
 * rewrite, Host included), then every body part as it comes. The copies are {@link MirrorCopy}s, on their
 * own; this class only hands them the request, and lets them go when the exchange is over. A route without
 * mirrors costs one array length check per request.
 */
final class RequestMirror {

  private final ProxiedConnection conn;
  private final List<MirrorCopy> copies = new ArrayList<>(2);

  RequestMirror(ProxiedConnection conn) {
    this.conn = conn;
  }

  /** Starts the copies of a routed request whose head is ready for the backend. */
  void start(HttpRequest prepared) {
    exchangeOver();
    Exchange ex = conn.ex;
    RouteRuntime route = ex.route;
    if (route == null || route.mirrors().length == 0 || ex.upgradeRequested) {
      return;
    }
    long idleNanos = ex.listener.timeouts().serverNanos();
    for (MirrorTarget m : route.mirrors()) {
      if (m.threshold() < MirrorTarget.SCALE && !m.takes(ThreadLocalRandom.current().nextLong(MirrorTarget.SCALE))) {
        continue;
      }
      HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, prepared.method(), prepared.uri(),
          prepared.headers().copy());
      MirrorCopy copy = MirrorCopy.start(m, head, conn.pools, conn, idleNanos);
      if (copy != null) {
        copies.add(copy);
      }
    }
  }

  /** A part of the request body, which the caller still owns (it goes on to the backend). */
  void body(HttpContent part) {
    for (int i = 0; i < copies.size(); i++) {
      copies.get(i).body(part);
    }
  }

  /**
   * The exchange is over: copies that have the whole request go on alone; the others never will, so they
   * are dropped.
   */
  void exchangeOver() {
    if (copies.isEmpty()) {
      return;
    }
    for (MirrorCopy c : copies) {
      if (!c.requestDone()) {
        c.drop();
      }
    }
    copies.clear();
  }
}
