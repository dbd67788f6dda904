package dev.gantry.proxy.l7;

import dev.gantry.proxy.http1.VerbatimRequest;
import dev.gantry.proxy.l7.ProxiedConnection.State;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The client's half of an exchange: takes a request head (checks it, routes it, hands it to {@link
 * EndpointDispatch}), passes the request body on to the backend, and goes back to waiting for the next
 * request once an exchange is over.
 */
final class RequestIntake {

  private final ProxiedConnection conn;
  private final Exchange ex;
  private final InboundQueue inbound;

  RequestIntake(ProxiedConnection conn) {
    this.conn = conn;
    this.ex = conn.ex;
    this.inbound = conn.inbound;
  }

  /** Takes a message that arrived while no exchange is running. */
  void takeIdle(Object msg) {
    if (msg instanceof HttpRequest req) {
      startExchange(req);
    } else {
      // The end of a request answered locally, or the rest of a malformed one.
      ReferenceCountUtil.release(msg);
    }
  }

  /** Processes queued (pipelined) messages while no exchange is running. */
  void drainIdle() {
    Object msg;
    while (conn.state == State.IDLE && (msg = inbound.poll()) != null) {
      takeIdle(msg);
    }
    if (conn.state == State.IDLE && inbound.isEmpty()) {
      conn.ctx.read();
    }
  }

  private void startExchange(HttpRequest req) {
    conn.traffic.headReceived();
    forgetUpstream();
    ex.start(req, conn.currentListener(), conn.accessLog.enabled(), conn.traffic.lastReadNanos);
    if (req.decoderResult().isFailure()) {
      conn.answers.rejectMalformed(req.decoderResult().cause());
      return;
    }
    // A head relayed as it arrived is HTTP/1.1 without Connection: close or Transfer-Encoding, and knows its length.
    VerbatimRequest verbatim = VerbatimRequest.untouched(req);
    ex.clientKeepAlive = verbatim != null || HttpUtil.isKeepAlive(req);
    ex.requestHasBody = verbatim != null ? verbatim.contentLength() > 0
        : HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0;
    if (ex.listener == null || !ex.listener.protocol().isHttp()) {
      // The listener was removed by a reload: answer, then let the connection go.
      conn.answers.respondLocal(HttpResponseStatus.SERVICE_UNAVAILABLE, true, "PR");
      return;
    }
    HttpResponseStatus refused = RequestValidator.check(req);
    if (refused != null || (!ex.originalUri.startsWith("/") && !ex.originalUri.equals("*")
        && !RequestTargets.toOriginForm(req))) {
      conn.answers.respondLocal(refused != null ? refused : HttpResponseStatus.BAD_REQUEST, true, "CR");
      return;
    }
    ex.originalUri = req.uri();
    String hostHeader = verbatim != null ? verbatim.host() : req.headers().get(HttpHeaderNames.HOST);
    if (ex.listener.redirectPort() > 0) {
      conn.answers.redirectToHttps(hostHeader);
      return;
    }
    if (conn.clientIdentity.rejected()) {
      conn.answers.respondLocal(HttpResponseStatus.FORBIDDEN, false, "PR");
      return;
    }
    String host = HostNames.normalize(hostHeader);
    if (MisdirectedRequests.misdirected(conn.ctx.channel(), ex.listener.tls(), host)) {
      conn.answers.respondLocal(HttpResponseStatus.MISDIRECTED_REQUEST, false, "PR");
      return;
    }
    Router router = ex.listener.router();
    RouteMatch match = router.route(host, ex.originalUri, ex.method,
        router.readsHeaders() ? req.headers() : EmptyHttpHeaders.INSTANCE);
    if (match != null) {
      ex.route = match.route();
      if (ex.route.cors() != null && CorsRequests.preflightAnswered(conn, ex, req.headers())) {
        return;
      }
      if (ex.route.redirect() != null) {
        conn.answers.redirect(match, hostHeader);
        return;
      }
      if (ex.route.sessions() == null || !StickySessions.resume(ex, req.headers())) {
        ex.target = ex.route.pickTarget();
      }
    } else {
      ex.target = ex.listener.defaultTarget();
    }
    if (ex.target == null) {
      conn.answers.respondLocal(match == null ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.SERVICE_UNAVAILABLE,
          false, "--");
      return;
    }
    if (ex.target.backend().fixedResponse() != null) {
      conn.answers.respondLocal(ex.target.backend().fixedResponse(), false, "--");
      return;
    }
    ex.idempotent = Exchange.isIdempotent(ex.method);
    RequestHeads.Asked asked = RequestHeads.prepare(req, ex.route, match, ex.originalUri, ex.listener, conn.clientIp,
        hostHeader, conn.forwarded, conn.clientIdentity);
    if (!ex.target.requestEdits().isEmpty()) {
      ex.target.requestEdits().applyTo(req.headers());
    }
    ex.upgradeRequested = asked.upgrade();
    ex.expectContinue = asked.expectContinue();
    conn.mirror.start(req);
    conn.dispatch.dispatch(false, null);
  }

  /** What the connection itself keeps of the previous exchange's backend side (the rest is in the exchange). */
  private void forgetUpstream() {
    conn.upstream = null;
    conn.dispatch.forget();
    conn.replay.reset();
  }

  /** Sends a part of the request body to the backend (kept for a replay when the request may be retried). */
  void forwardRequestPart(Object msg) {
    if (!(msg instanceof HttpContent content)) {
      // The decoder always ends a request with LastHttpContent before the next head: this is a bug.
      ReferenceCountUtil.release(msg);
      conn.answers.abort("PR");
      return;
    }
    if (content.decoderResult().isFailure()) {
      content.release();
      if (!ex.responseStarted) {
        conn.answers.respondLocal(HttpResponseStatus.BAD_REQUEST, true, "CR");
      } else {
        conn.answers.abort("CR");
      }
      return;
    }
    int n = content.content().readableBytes();
    ex.requestBytes += n;
    if (content instanceof LastHttpContent) {
      ex.requestDone = true;
    }
    if (ex.idempotent || ex.endpoint.http2()) {
      conn.replay.record(content); // a refused HTTP/2 stream is sent again whatever its method
    }
    conn.mirror.body(content);
    conn.upstream.write(content);
  }

  /** Back to waiting for a request on a kept-alive connection. */
  void nextRequest() {
    nextRequest(System.nanoTime());
  }

  /** As {@link #nextRequest()}, the connection idle from {@code now} ({@link System#nanoTime}). */
  void nextRequest(long now) {
    if (inbound.lastKeptTaken()) {
      conn.state = State.CLOSED;
      LingeringClose.after(conn.ctx.writeAndFlush(Unpooled.EMPTY_BUFFER), true);
      return;
    }
    conn.state = State.IDLE;
    conn.traffic.expectHead();
    conn.traffic.lastReadNanos = now;
    conn.timeouts.idleTimerFor(ex.listener, now);
    if (!inbound.isEmpty()) {
      drainIdle();
    } else {
      conn.ctx.read();
    }
  }
}
