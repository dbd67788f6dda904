package dev.gantry.proxy.l7;

import dev.gantry.model.Protocol;
import dev.gantry.proxy.config.BackendRuntime.RetryReason;
import dev.gantry.proxy.http1.VerbatimResponse;
import dev.gantry.proxy.l7.ProxiedConnection.State;
import dev.gantry.proxy.upstream.UpstreamConnection;
import dev.gantry.proxy.upstream.UpstreamListener;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The backend's half of an exchange: what its upstream connection reports (connected, a response part,
 * writable again, closed), the response head, which failures are retried and which answered, and the end
 * of an exchange whose whole response was relayed.
 */
final class UpstreamSide implements UpstreamListener {

  private final ProxiedConnection conn;
  private final Exchange ex;
  private final InboundQueue inbound;

  UpstreamSide(ProxiedConnection conn) {
    this.conn = conn;
    this.ex = conn.ex;
    this.inbound = conn.inbound;
  }

  @Override
  public void upstreamConnected(UpstreamConnection connection, boolean reused, long attempt) {
    if (conn.state != State.CONNECTING || !conn.dispatch.isCurrent(attempt)) {
      // Dialled for an exchange that is over: the connection is clean, keep it.
      connection.release();
      return;
    }
    conn.dispatch.dialled();
    conn.upstream = connection;
    ChannelHandlerContext ctx = conn.ctx;
    ex.upstreamReused = reused;
    ex.connectedNanos = System.nanoTime();
    ex.lastUpstreamNanos = ex.connectedNanos;
    conn.state = State.FORWARDING;
    connection.write(ex.request);
    // A retry sends again what the previous attempt had sent; the first attempt has nothing yet.
    conn.replay.resend(connection);
    if (ex.expectContinue) {
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
          Unpooled.EMPTY_BUFFER));
    }
    Object msg;
    while (conn.state == State.FORWARDING && !ex.requestDone && (msg = inbound.peek()) != null) {
      inbound.poll();
      conn.intake.forwardRequestPart(msg);
    }
    if (conn.state != State.FORWARDING) {
      return; // a queued part of the body was malformed: answered 400, the backend connection is gone
    }
    if (!conn.inClientRead) {
      conn.upstream.flush(); // else the end of the client's read flushes, with the body that came with the head
    }
    conn.upstream.read();
    if (!ex.requestDone && inbound.isEmpty() && conn.upstream.isWritable()) {
      ctx.read();
    }
    conn.timeouts.armAtMost(Math.min(ex.serverIdleDeadline(ex.listener), ex.deadline()));
  }

  @Override
  public void upstreamConnectFailed(long attempt, Throwable cause) {
    if (conn.state != State.CONNECTING || !conn.dispatch.isCurrent(attempt)) {
      return;
    }
    conn.dispatch.dialled();
    ex.endpoint.connectFailures().increment();
    ex.target.backend().failed(ex.endpoint);
    if (conn.dispatch.mayRetry(RetryReason.CONNECT)) {
      conn.dispatch.retry(RetryReason.CONNECT);
    } else {
      conn.answers.respondLocal(HttpResponseStatus.BAD_GATEWAY, !ex.requestDone, "SC");
    }
  }

  @Override
  public void upstreamRead(Object msg) {
    ex.lastUpstreamNanos = System.nanoTime();
    if (conn.state == State.TUNNEL) {
      conn.tunnel.fromUpstream(msg);
      return;
    }
    if (conn.state != State.FORWARDING) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpResponse resp) {
      if (!onResponseHead(resp)) {
        ReferenceCountUtil.release(msg);
        return;
      }
    }
    if (msg instanceof HttpContent content) {
      if (ex.skippingInterim) {
        ex.skippingInterim = !(content instanceof LastHttpContent);
        content.release();
        return;
      }
      if (content.decoderResult().isFailure()) {
        content.release();
        upstreamFailed("SD");
        return;
      }
      ex.responseBytes += content.content().readableBytes();
      boolean last = content instanceof LastHttpContent;
      conn.ctx.write(content, conn.ctx.voidPromise());
      if (last) {
        completeExchange();
      }
    }
  }

  /** Handles a response head; false when it was not forwarded (an interim or failed response). */
  private boolean onResponseHead(HttpResponse resp) {
    // A verbatim head's framing was checked as it was parsed: one Content-Length, no Transfer-Encoding.
    boolean verbatim = resp instanceof VerbatimResponse;
    if (resp.decoderResult().isFailure() || !verbatim && !ResponseFraming.acceptable(resp)) {
      upstreamFailed("SH");
      return false;
    }
    int code = resp.status().code();
    if (code == 101 && ex.upgradeRequested) {
      conn.tunnel.start(resp);
      return false;
    }
    if (code >= 100 && code < 200) {
      // 100 Continue and other interim answers were already dealt with by the proxy; drop them.
      ex.skippingInterim = true;
      return false;
    }
    if (code >= 500) {
      ex.target.backend().failed(ex.endpoint);
    } else {
      ex.target.backend().succeeded(ex.endpoint);
    }
    if ((code == 502 || code == 503) && conn.dispatch.mayRetry(RetryReason.STATUS)) {
      // This answer is dropped: its connection goes, with whatever of its body is still to come.
      conn.upstream.close();
      conn.upstream = null;
      conn.dispatch.retry(RetryReason.STATUS);
      return false;
    }
    conn.replay.clear();
    ex.status = code;
    ex.responseStarted = true;
    ex.responseNanos = ex.lastUpstreamNanos;
    boolean keepAlive = ex.clientKeepAlive && !conn.listenerGone() && !inbound.lastKeptTaken();
    if (verbatim && keepAlive && ex.corsOrigin == null && ResponseHeads.relayedAsIs(ex.route, ex.clientVersion)) {
      // HTTP/1.1 with a Content-Length and no Connection field but keep-alive: the backend keeps the
      // connection, and the client gets the head as it is, without that field.
      ex.upstreamKeepsAlive = true;
      conn.ctx.write(resp, conn.ctx.voidPromise());
      return true;
    }
    ex.upstreamKeepsAlive = ResponseHeads.backendKeepsAlive(resp, ex.method);
    if (!ResponseHeads.prepare(resp, ex.route, ex.clientVersion, ex.method, keepAlive)) {
      ex.closeAfterResponse = true;
    }
    if (ex.corsOrigin != null) {
      ex.route.cors().addActual(resp.headers(), ex.corsOrigin);
    }
    if (ex.route != null && ex.route.sessions() != null) {
      StickySessions.stamp(resp.headers(), ex, conn.currentListener().protocol() == Protocol.HTTPS);
    }
    conn.ctx.write(resp, conn.ctx.voidPromise());
    return true;
  }

  @Override
  public void upstreamReadComplete() {
    if (conn.state == State.FORWARDING || conn.state == State.TUNNEL) {
      conn.ctx.flush();
      if (conn.ctx.channel().isWritable()) {
        conn.upstream.read();
      }
    }
  }

  @Override
  public void upstreamWritabilityChanged() {
    if (conn.upstream == null || !conn.upstream.isWritable()) {
      return;
    }
    if (conn.state == State.FORWARDING && !ex.requestDone) {
      Object msg;
      while (conn.state == State.FORWARDING && !ex.requestDone && (msg = inbound.poll()) != null) {
        conn.intake.forwardRequestPart(msg);
      }
      if (conn.state != State.FORWARDING) {
        return;
      }
      conn.upstream.flush();
      if (!ex.requestDone) {
        conn.ctx.read();
      }
    } else if (conn.state == State.TUNNEL) {
      conn.ctx.read();
    }
  }

  @Override
  public void upstreamClosed() {
    UpstreamConnection closed = conn.upstream;
    conn.upstream = null;
    if (conn.state == State.TUNNEL) {
      conn.tunnel.upstreamClosed();
      return;
    }
    if (conn.state != State.FORWARDING) {
      return;
    }
    if (!ex.responseStarted) {
      if (closed != null && closed.refused() && conn.replay.replayable()
          && conn.dispatch.mayRetry(RetryReason.CONNECT)) {
        conn.dispatch.retry(RetryReason.RESET); // an HTTP/2 stream the backend never processed: safe for any method
        return;
      }
      ex.target.backend().failed(ex.endpoint);
      if (ex.upstreamReused && closed != null && ex.idempotent && conn.replay.replayable()) {
        // A pooled connection the server closed while idle: not the endpoint's fault, and free of charge.
        ex.attempts--;
        conn.dispatch.retry(RetryReason.RESET);
        return;
      }
      if (conn.dispatch.mayRetry(RetryReason.RESET)) {
        conn.dispatch.retry(RetryReason.RESET);
        return;
      }
    }
    upstreamFailed(ex.responseStarted ? "SD" : "SH");
  }

  /** The backend failed mid-exchange: 502 if the client has seen nothing yet, else cut the client off. */
  private void upstreamFailed(String termination) {
    conn.closeUpstream();
    if (!ex.responseStarted) {
      conn.answers.respondLocal(HttpResponseStatus.BAD_GATEWAY, !ex.requestDone, termination);
    } else {
      conn.answers.abort(termination);
    }
  }

  /** The whole response was relayed: the backend connection goes back to its pool, the client waits for more. */
  private void completeExchange() {
    // The time the response's last bytes were read: when the exchange ends and the connection turns idle.
    long now = ex.lastUpstreamNanos;
    conn.dispatch.releaseSlot();
    UpstreamConnection u = conn.upstream;
    conn.upstream = null;
    if (u != null) {
      if (ex.requestDone && ex.upstreamKeepsAlive) {
        u.release();
      } else {
        u.close();
      }
    }
    conn.finish("--", now);
    if (!ex.requestDone || ex.closeAfterResponse || !ex.clientKeepAlive || conn.listenerGone()) {
      conn.state = State.CLOSED;
      LingeringClose.after(conn.ctx.writeAndFlush(Unpooled.EMPTY_BUFFER), inbound.lastKeptTaken());
      return;
    }
    conn.ctx.flush();
    conn.intake.nextRequest(now);
  }
}
