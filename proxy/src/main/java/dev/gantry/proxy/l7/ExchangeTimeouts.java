package dev.gantry.proxy.l7;

import dev.gantry.proxy.config.ListenerRuntime;
import dev.gantry.proxy.l7.ProxiedConnection.State;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.EventExecutor;

/**
 * Every deadline of a connection and its exchange (keep-alive, request head, client and server silence,
 * the route's timeout, the queue, the tunnel) off one {@link LazyTimer}: when it fires, works out which
 * deadline passed for the state the connection is in, and ends the connection or the exchange the way that
 * deadline says. A request that finishes before the armed time costs no timer operation at all.
 */
final class ExchangeTimeouts {

  /** Which deadline the timer found expired. */
  private enum Expiry { NONE, KEEP_ALIVE, REQUEST_HEAD, CLIENT, SERVER, ROUTE, QUEUE, TUNNEL }

  private final ProxiedConnection conn;
  private final Exchange ex;
  private final LazyTimer timer = new LazyTimer(this::onTimer);

  ExchangeTimeouts(ProxiedConnection conn) {
    this.conn = conn;
    this.ex = conn.ex;
  }

  void bind(EventExecutor executor) {
    timer.bind(executor);
  }

  void cancel() {
    timer.cancel();
  }

  /** Makes sure the timer fires no later than {@code deadline}; see {@link LazyTimer#armAtMost}. */
  void armAtMost(long deadline) {
    timer.armAtMost(deadline);
  }

  /** Arms the timer for a connection waiting, from {@code now}, for its next request. */
  void idleTimerFor(ListenerRuntime l, long now) {
    if (l == null) {
      return;
    }
    timer.armAtMost(now + Math.min(l.timeouts().clientNanos(), l.timeouts().httpRequestNanos()));
  }

  private void onTimer() {
    State state = conn.state;
    if (state == State.CLOSED) {
      return;
    }
    long now = System.nanoTime();
    ListenerRuntime l = ex.listener != null ? ex.listener : conn.config.current().listener(conn.port);
    if (l == null) {
      conn.ctx.close();
      return;
    }
    ClientTraffic traffic = conn.traffic;
    long deadline = Long.MAX_VALUE;
    Expiry kind = Expiry.NONE;
    switch (state) {
      case IDLE -> {
        if (traffic.headStartNanos != 0) {
          deadline = traffic.headStartNanos + l.timeouts().httpRequestNanos();
          kind = Expiry.REQUEST_HEAD;
        } else {
          deadline = traffic.lastReadNanos + l.timeouts().clientNanos();
          kind = Expiry.KEEP_ALIVE;
        }
      }
      case QUEUED -> {
        deadline = conn.dispatch.queueDeadline();
        kind = Expiry.QUEUE;
        if (ex.deadline() < deadline) {
          deadline = ex.deadline();
          kind = Expiry.ROUTE;
        }
      }
      case CONNECTING -> {
        deadline = ex.deadline();
        kind = Expiry.ROUTE;
      }
      case FORWARDING -> {
        deadline = ex.serverIdleDeadline(l);
        kind = Expiry.SERVER;
        if (!ex.requestDone || !conn.ctx.channel().isWritable()) {
          long client = ex.clientIdleDeadline(l, traffic.lastReadNanos);
          if (client < deadline) {
            deadline = client;
            kind = Expiry.CLIENT;
          }
        }
        if (ex.deadline() < deadline) {
          deadline = ex.deadline();
          kind = Expiry.ROUTE;
        }
      }
      case TUNNEL -> {
        deadline = Math.max(traffic.lastReadNanos, ex.lastUpstreamNanos) + l.timeouts().tunnelNanos();
        kind = Expiry.TUNNEL;
      }
      default -> {
        return;
      }
    }
    if (deadline == Long.MAX_VALUE || now - deadline < 0) {
      timer.armAtMost(deadline);
      return;
    }
    if (kind == Expiry.REQUEST_HEAD) {
      LimitHits.requestHeadTimeout(l);
    } else if (kind == Expiry.CLIENT) {
      LimitHits.clientTimeout(l);
    }
    expire(kind);
  }

  private void expire(Expiry kind) {
    ChannelHandlerContext ctx = conn.ctx;
    LocalAnswers answers = conn.answers;
    switch (kind) {
      case KEEP_ALIVE -> {
        conn.state = State.CLOSED;
        ctx.close();
      }
      case REQUEST_HEAD -> {
        conn.state = State.CLOSED;
        ctx.writeAndFlush(ErrorResponses.of(HttpResponseStatus.REQUEST_TIMEOUT, true))
            .addListener(ChannelFutureListener.CLOSE);
      }
      case CLIENT -> {
        if (!ex.responseStarted) {
          answers.respondLocal(HttpResponseStatus.REQUEST_TIMEOUT, true, "cD");
        } else {
          answers.abort("cD");
        }
      }
      case QUEUE -> {
        conn.dispatch.leaveQueue();
        ex.target.backend().queueRejected(true);
        answers.respondLocal(HttpResponseStatus.SERVICE_UNAVAILABLE, !ex.requestDone, "sQ");
      }
      case SERVER, ROUTE -> {
        State state = conn.state;
        String termination = ex.responseStarted ? "sD"
            : state == State.QUEUED ? "sQ" : state == State.CONNECTING ? "sC" : "sH";
        conn.dispatch.leaveQueue();
        if (state == State.FORWARDING && !ex.responseStarted && ex.endpoint != null) {
          ex.target.backend().failed(ex.endpoint);
        }
        conn.dispatch.abandonDialling();
        conn.closeUpstream();
        if (!ex.responseStarted) {
          answers.respondLocal(HttpResponseStatus.GATEWAY_TIMEOUT, !ex.requestDone, termination);
        } else {
          answers.abort(termination);
        }
      }
      case TUNNEL -> {
        conn.state = State.CLOSED;
        conn.closeUpstream();
        ctx.close();
      }
      default -> {
      }
    }
  }
}
