package dev.gantry.proxy.l7;

import dev.gantry.proxy.config.BackendRuntime;
import dev.gantry.proxy.config.BackendRuntime.RetryReason;
import dev.gantry.proxy.config.ConfigCompiler;
import dev.gantry.proxy.config.EndpointRuntime;
import dev.gantry.proxy.l7.ProxiedConnection.State;
import dev.gantry.proxy.upstream.BackendState;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.TimeUnit;

/**
 * Sends a routed exchange to an endpoint: picks one with a free slot (see maxConnectionsPerEndpoint), waits
 * in the backend's queue when every endpoint is full, dials or takes a pooled connection, and decides
 * whether and where a failed attempt is sent again. Owns the exchange's endpoint slot and its dial.
 */
final class EndpointDispatch implements BackendState.Waiter {

  private final ProxiedConnection conn;
  private final Exchange ex;

  /** Whether this exchange holds one of the endpoint's slots. */
  private boolean slotHeld;
  /** Read by other event loops through {@link #waiting()}. */
  private volatile boolean queued;
  private long queuedSinceNanos;
  /** The channel being dialled for this exchange, to close it when the exchange is given up. */
  private Channel dialling;
  /** Numbers each connection request; a callback with another number is about one given up. */
  private long dialAttempt;

  EndpointDispatch(ProxiedConnection conn) {
    this.conn = conn;
    this.ex = conn.ex;
  }

  /**
   * Picks an endpoint with a free slot and connects to it (a pooled connection when {@code fresh} is false).
   * When every usable endpoint is full the request waits in the backend's queue; when none is usable it is
   * answered 503. {@code avoid}, when set, is passed over if another endpoint is usable (a retry).
   */
  void dispatch(boolean fresh, EndpointRuntime avoid) {
    BackendRuntime backend = ex.target.backend();
    EndpointRuntime chosen = ex.sessionPin != null && avoid == null ? StickySessions.claim(ex) : null;
    for (int i = 0; i < 3 && chosen == null; i++) {
      EndpointRuntime e = backend.pick(conn.clientAddress);
      if (e == null) {
        break;
      }
      if (e == avoid && i < 2 && backend.endpoints().size() > 1) {
        continue;
      }
      if (e.state().tryOpen()) {
        chosen = e;
      }
    }
    if (chosen == null) {
      if (!backend.anyAvailable()) {
        conn.answers.respondLocal(HttpResponseStatus.SERVICE_UNAVAILABLE, !ex.requestDone, "SC");
      } else {
        waitForSlot(backend);
      }
      return;
    }
    connectTo(chosen, fresh);
  }

  private void connectTo(EndpointRuntime e, boolean fresh) {
    ex.endpoint = e;
    slotHeld = true;
    conn.state = State.CONNECTING;
    ex.attempts++;
    conn.timeouts.armAtMost(ex.deadline());
    long timeout = ex.target.backend().connectTimeoutMillis();
    long attempt = ++dialAttempt;
    Channel ch = fresh ? conn.pools.connectFresh(e, timeout, conn.upstreamSide, attempt)
        : conn.pools.acquire(e, timeout, conn.upstreamSide, attempt);
    // The outcome may already be known (and acted on, even by a new attempt): only a pending dial is kept.
    if (attempt == dialAttempt && conn.state == State.CONNECTING && conn.upstream == null) {
      dialling = ch;
    }
  }

  /** HAProxy's queue: wait (at most the connect timeout) for an endpoint slot to free up. */
  private void waitForSlot(BackendRuntime backend) {
    if (conn.state != State.QUEUED) {
      queuedSinceNanos = System.nanoTime();
    }
    conn.state = State.QUEUED;
    queued = true;
    if (!backend.state().enqueue(this)) {
      queued = false;
      backend.queueRejected(false);
      conn.answers.respondLocal(HttpResponseStatus.SERVICE_UNAVAILABLE, !ex.requestDone, "sQ");
      return;
    }
    conn.timeouts.armAtMost(Math.min(queueDeadline(), ex.deadline()));
  }

  /** When waiting in the queue ends: the backend's connect timeout after the exchange joined it. */
  long queueDeadline() {
    return queuedSinceNanos + TimeUnit.MILLISECONDS.toNanos(ex.target.backend().connectTimeoutMillis());
  }

  @Override
  public void execute(Runnable task) {
    conn.ctx.executor().execute(task);
  }

  @Override
  public boolean waiting() {
    return queued;
  }

  @Override
  public void slotAvailable() {
    if (!queued || conn.state != State.QUEUED) {
      return;
    }
    queued = false;
    BackendRuntime backend = ex.target.backend();
    EndpointRuntime e = backend.pick(conn.clientAddress);
    if (e != null && e.state().tryOpen()) {
      connectTo(e, false);
    } else if (!backend.anyAvailable()) {
      conn.answers.respondLocal(HttpResponseStatus.SERVICE_UNAVAILABLE, !ex.requestDone, "SC");
    } else {
      // Another request took the slot first: back to the head of the queue.
      queued = true;
      backend.state().requeue(this);
    }
  }

  /** The exchange no longer waits in the queue (answered, timed out, or its client left). */
  void leaveQueue() {
    queued = false;
  }

  /** Gives the endpoint slot back, once per exchange. */
  void releaseSlot() {
    if (slotHeld) {
      slotHeld = false;
      ex.endpoint.state().closed();
    }
  }

  /** Gives up the dial in progress: its outcome, when it comes, is about an exchange that is over. */
  void abandonDialling() {
    dialAttempt++;
    if (dialling != null) {
      Channel c = dialling;
      dialling = null;
      c.close();
    }
  }

  /** Whether a connection outcome for {@code attempt} is about the dial this exchange waits for. */
  boolean isCurrent(long attempt) {
    return attempt == dialAttempt;
  }

  /** The dial this exchange waited for has an outcome: nothing is left to abandon. */
  void dialled() {
    dialling = null;
  }

  /** A new exchange starts: no slot, dial or queue place of the previous one is its own. */
  void forget() {
    dialling = null;
    slotHeld = false;
    queued = false;
  }

  /**
   * Whether the request may be sent again: within the route's retries, and, once any of it reached a
   * backend, only for an idempotent method whose whole body so far can be replayed and before any byte of
   * a response reached the client.
   */
  boolean mayRetry(RetryReason reason) {
    int retries = ex.route == null ? ConfigCompiler.DEFAULT_RETRIES : ex.route.retries();
    if (conn.state == State.CLOSED || ex.responseStarted || ex.attempts > retries) {
      return false;
    }
    return reason == RetryReason.CONNECT || (ex.idempotent && conn.replay.replayable());
  }

  /** Sends the request again, to another endpoint when there is one, on a fresh connection. */
  void retry(RetryReason reason) {
    EndpointRuntime failed = ex.endpoint;
    ex.target.backend().retried(reason);
    releaseSlot();
    dispatch(true, failed);
  }
}
