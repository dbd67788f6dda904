package dev.gantry.proxy.l7;

import dev.gantry.proxy.config.RouteRedirect;
import dev.gantry.proxy.config.RouteRuntime;
import dev.gantry.proxy.l7.ProxiedConnection.State;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * What the proxy answers itself instead of a backend: error statuses, the redirect to HTTPS, routes'
 * redirects, the refusal of a malformed request, and, once part of a response was sent, cutting the client
 * off. Each gives up whatever the exchange held on the backend side.
 */
final class LocalAnswers {

  private final ProxiedConnection conn;
  private final Exchange ex;

  LocalAnswers(ProxiedConnection conn) {
    this.conn = conn;
    this.ex = conn.ex;
  }

  /** Answers the current request from the proxy itself. */
  void respondLocal(HttpResponseStatus s, boolean close, String termination) {
    boolean mustClose = close || !ex.clientKeepAlive || (ex.requestHasBody && !ex.requestDone) || ex.listener == null;
    ex.status = s.code();
    ex.responseStarted = true;
    conn.dispatch.leaveQueue();
    conn.closeUpstream();
    conn.dispatch.abandonDialling();
    conn.dispatch.releaseSlot();
    conn.replay.clear();
    conn.finish(termination);
    ChannelHandlerContext ctx = conn.ctx;
    if (mustClose) {
      conn.state = State.CLOSED;
      ctx.writeAndFlush(ErrorResponses.of(s, true, ex.grpc)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.writeAndFlush(ErrorResponses.of(s, conn.inbound.lastKeptTaken(), ex.grpc));
    conn.intake.nextRequest();
  }

  void redirectToHttps(String hostHeader) {
    boolean close = !ex.clientKeepAlive || ex.requestHasBody;
    ex.status = 301;
    ex.responseStarted = true;
    conn.finish("--");
    String host = HostNames.normalize(hostHeader);
    ChannelHandlerContext ctx = conn.ctx;
    ctx.writeAndFlush(ErrorResponses.redirect(host, ex.listener.redirectPort(), ex.originalUri, close));
    if (close) {
      conn.state = State.CLOSED;
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    } else {
      conn.intake.nextRequest();
    }
  }

  /** Answers the current request with its route's redirect, with the route's response header edits. */
  void redirect(RouteMatch match, String hostHeader) {
    RouteRuntime route = match.route();
    RouteRedirect r = route.redirect();
    boolean close = !ex.clientKeepAlive || ex.requestHasBody;
    ex.status = r.status().code();
    ex.responseStarted = true;
    conn.finish("--");
    FullHttpResponse response = ErrorResponses.of(r.status(), close || conn.inbound.lastKeptTaken());
    response.headers().set(HttpHeaderNames.LOCATION,
        RedirectLocation.of(r, ex.listener, hostHeader, ex.originalUri, match.prefixLength()));
    route.responseEdits().applyTo(response.headers());
    send(response, close);
  }

  /**
   * Answers a CORS preflight request (OPTIONS with Origin and Access-Control-Request-Method) for its route:
   * 204, with the route's CORS headers when the origin is allowed, without them otherwise.
   */
  void preflight(String allowedOrigin, HttpHeaders request) {
    boolean close = !ex.clientKeepAlive || ex.requestHasBody;
    ex.status = HttpResponseStatus.NO_CONTENT.code();
    ex.responseStarted = true;
    conn.finish("--");
    FullHttpResponse response = ErrorResponses.of(HttpResponseStatus.NO_CONTENT, close || conn.inbound.lastKeptTaken());
    if (allowedOrigin != null) {
      ex.route.cors().addPreflight(response.headers(), allowedOrigin, request);
    }
    ex.route.responseEdits().applyTo(response.headers());
    send(response, close);
  }

  private void send(FullHttpResponse response, boolean close) {
    ChannelHandlerContext ctx = conn.ctx;
    if (close) {
      conn.state = State.CLOSED;
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(response);
      conn.intake.nextRequest();
    }
  }

  void rejectMalformed(Throwable cause) {
    HttpResponseStatus s = RequestValidator.statusOfMalformed(cause);
    LimitHits.refused(conn.currentListener(), s);
    if (ex.listener == null) {
      ex.status = s.code();
      conn.state = State.CLOSED;
      conn.ctx.writeAndFlush(ErrorResponses.of(s, true)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    respondLocal(s, true, "CR");
  }

  /** Cuts the client off after part of a response was sent: the only honest signal left. */
  void abort(String termination) {
    conn.finish(termination);
    conn.state = State.CLOSED;
    conn.closeUpstream();
    conn.dispatch.releaseSlot();
    conn.replay.clear();
    conn.ctx.close();
  }
}
