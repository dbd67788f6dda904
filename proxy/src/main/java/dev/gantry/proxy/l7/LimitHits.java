package dev.gantry.proxy.l7;

import dev.gantry.proxy.admin.LimitCounters;
import dev.gantry.proxy.config.ListenerRuntime;
import io.netty.handler.codec.http.HttpResponseStatus;

/** Counts the limits an HTTP/1.1 client connection ran into, on its listener's series. */
final class LimitHits {

  private LimitHits() {
  }

  /** A request head refused as too large: 431 or 414. */
  static void refused(ListenerRuntime listener, HttpResponseStatus answer) {
    if (listener == null) {
      return;
    }
    LimitCounters limits = listener.stats().limits();
    if (answer.code() == HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE.code()) {
      limits.requestHeadSize().increment();
    } else if (answer.code() == HttpResponseStatus.REQUEST_URI_TOO_LONG.code()) {
      limits.requestLineSize().increment();
    }
  }

  static void requestHeadTimeout(ListenerRuntime listener) {
    listener.stats().limits().requestHeadTimeout().increment();
  }

  static void clientTimeout(ListenerRuntime listener) {
    listener.stats().limits().clientTimeout().increment();
  }

  static void pipelinedRequests(ListenerRuntime listener) {
    if (listener != null) {
      listener.stats().limits().pipelinedRequests().increment();
    }
  }
}
