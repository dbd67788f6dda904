package dev.gantry.proxy.l7;

import dev.gantry.proxy.config.EndpointRuntime;
import dev.gantry.proxy.config.MirrorTarget;
import dev.gantry.proxy.upstream.UpstreamConnection;
import dev.gantry.proxy.upstream.UpstreamListener;
import dev.gantry.proxy.upstream.UpstreamPools;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One copy of a request on its way to a mirror backend, fire and forget: it takes one endpoint slot and a
 * connection from the mirror's own pool, writes what the client sends as it comes, and throws the answer
 * away. It never pushes back on the client: when more than {@link #MAX_BUFFERED} bytes wait (the mirror is
 * slower than the client, or still connecting), when the mirror cannot be reached, or when it stays silent
 * for the listener's server timeout, the copy is dropped and its connection closed. Lives on the client's
 * event loop.
 */
final class MirrorCopy implements UpstreamListener {

  /** Bytes a copy may hold back before it is dropped: unsent ones, or those its connection has not written. */
  static final int MAX_BUFFERED = 256 * 1024;

  private final MirrorTarget target;
  private final EndpointRuntime endpoint;
  /** Kept until the copy ends: sent again when a pooled connection turns out to be closed. */
  private final HttpRequest head;
  private final EventLoop loop;
  private final UpstreamPools pools;
  private final long idleNanos;
  /** Parts waiting for the connection; null once connected. */
  private ArrayDeque<HttpContent> waiting = new ArrayDeque<>(2);
  private long waitingBytes;
  private UpstreamConnection connection;
  private Channel dialling;
  private boolean requestDone;
  /** The whole copy was written to the mirror's connection (and counted sent). */
  private boolean sent;
  private boolean responseDone;
  private boolean interim;
  private boolean keepAlive;
  /** The connection came from the pool; {@code answered} once the mirror sent anything on it. */
  private boolean reused;
  private boolean answered;
  private boolean redialled;
  private long bodyBytes;
  private boolean over;
  private long lastActivityNanos;
  /** The next look at whether the copy idles; cancelled when the copy ends, so that nothing holds on to it. */
  private ScheduledFuture<?> idleCheck;

  private MirrorCopy(MirrorTarget target, EndpointRuntime endpoint, HttpRequest head, UpstreamPools pools,
      long idleNanos) {
    this.target = target;
    this.endpoint = endpoint;
    this.head = head;
    this.pools = pools;
    this.loop = pools.loop();
    this.idleNanos = idleNanos;
    this.lastActivityNanos = System.nanoTime();
  }

  /**
   * Starts a copy of {@code head} (already prepared for a backend) to one endpoint of the mirror, or counts
   * it dropped and returns null when no endpoint has a free slot.
   */
  static MirrorCopy start(MirrorTarget target, HttpRequest head, UpstreamPools pools, ProxiedConnection conn,
      long idleNanos) {
    EndpointRuntime e = target.backend().pick(conn.clientAddress);
    if (e == null || !e.state().tryOpen()) {
      target.dropped().increment();
      return null;
    }
    MirrorCopy copy = new MirrorCopy(target, e, head, pools, idleNanos);
    copy.dial(false);
    if (!copy.over) {
      copy.idleCheck = copy.loop.schedule(copy::checkIdle, idleNanos, TimeUnit.NANOSECONDS);
    }
    return copy;
  }

  /** A pooled connection, or with {@code fresh} a new one, from the mirror's pool of this event loop. */
  private void dial(boolean fresh) {
    long timeout = target.backend().connectTimeoutMillis();
    Channel ch = fresh ? pools.connectFresh(endpoint, timeout, this, 0) : pools.acquire(endpoint, timeout, this, 0);
    // The outcome may already be known: only a dial still pending is kept, to close it if the copy is dropped.
    if (connection == null && !over) {
      dialling = ch;
    }
  }

  /** A part of the request body; the copy takes a duplicate of it, the caller keeps {@code part}. */
  void body(HttpContent part) {
    if (over) {
      return;
    }
    lastActivityNanos = System.nanoTime();
    boolean last = part instanceof LastHttpContent;
    HttpContent dup = part.retainedDuplicate();
    bodyBytes += dup.content().readableBytes();
    if (connection == null) {
      waitingBytes += dup.content().readableBytes();
      waiting.add(dup);
      requestDone = last;
      if (waitingBytes > MAX_BUFFERED) {
        drop();
      }
      return;
    }
    connection.write(dup);
    connection.flush();
    if (last) {
      sentWhole();
    } else if (!connection.isWritable() && connection.channel().bytesBeforeWritable() > MAX_BUFFERED) {
      drop();
    }
  }

  /** Whether the client has sent the whole request to this copy. */
  boolean requestDone() {
    return requestDone;
  }

  /**
   * Gives the copy up (the client's request will not be complete, or the mirror is too slow or gone), and
   * counts it dropped unless it was already sent whole.
   */
  void drop() {
    if (over) {
      return;
    }
    if (!sent) {
      target.dropped().increment();
    }
    end(false);
  }

  @Override
  public void upstreamConnected(UpstreamConnection c, boolean reused, long attempt) {
    dialling = null;
    if (over) {
      c.close();
      return;
    }
    connection = c;
    this.reused = reused;
    c.write(head);
    ArrayDeque<HttpContent> parts = waiting;
    waiting = null;
    waitingBytes = 0;
    HttpContent part;
    while ((part = parts.poll()) != null) {
      c.write(part);
    }
    c.flush();
    c.read();
    if (requestDone) {
      sentWhole();
    }
  }

  @Override
  public void upstreamConnectFailed(long attempt, Throwable cause) {
    dialling = null;
    drop();
  }

  @Override
  public void upstreamRead(Object msg) {
    lastActivityNanos = System.nanoTime();
    answered = true;
    if (msg instanceof HttpResponse resp) {
      interim = resp.status().code() < 200;
      keepAlive = !interim && ResponseHeads.backendKeepsAlive(resp, head.method());
    }
    boolean last = msg instanceof LastHttpContent;
    ReferenceCountUtil.release(msg);
    if (last && !interim) {
      responseDone = true;
      if (sent) {
        end(keepAlive);
      } else {
        drop(); // answered before the whole copy went out: nothing more is sent
      }
    } else if (last) {
      interim = false;
    }
  }

  @Override
  public void upstreamReadComplete() {
    if (!over && connection != null) {
      connection.read();
    }
  }

  @Override
  public void upstreamWritabilityChanged() {
    // Nothing waits for it: every part is written as it comes, and the client is never held back.
  }

  @Override
  public void upstreamClosed() {
    connection = null;
    if (!over && reused && !answered && !redialled && bodyBytes == 0) {
      // A pooled connection the mirror had closed while it idled: nothing was processed, so once more, on a
      // new connection (as the proxy does for the request itself). Only without body: that is not kept.
      redialled = true;
      waiting = new ArrayDeque<>(1);
      if (requestDone) {
        waiting.add(LastHttpContent.EMPTY_LAST_CONTENT);
      }
      dial(true);
      return;
    }
    drop();
  }

  /** The last part went out: the copy counts as sent, and only the answer (thrown away) is left. */
  private void sentWhole() {
    requestDone = true;
    if (!sent) {
      sent = true;
      target.sent().increment();
    }
  }

  /** Closes the idle copy, or looks again when it last heard from either side. */
  private void checkIdle() {
    if (over) {
      return;
    }
    long idle = System.nanoTime() - lastActivityNanos;
    if (idle >= idleNanos) {
      drop(); // sent whole or not: nobody waits for the answer
      return;
    }
    idleCheck = loop.schedule(this::checkIdle, idleNanos - idle, TimeUnit.NANOSECONDS);
  }

  /** Lets go of everything the copy holds: its slot, its connection (back to the pool when clean), its parts. */
  private void end(boolean reuse) {
    over = true;
    endpoint.state().closed();
    if (idleCheck != null) {
      idleCheck.cancel(false);
      idleCheck = null;
    }
    if (waiting != null) {
      HttpContent part;
      while ((part = waiting.poll()) != null) {
        part.release();
      }
    }
    if (dialling != null) {
      dialling.close();
      dialling = null;
    }
    UpstreamConnection c = connection;
    connection = null;
    if (c != null) {
      if (reuse && responseDone && sent) {
        c.release();
      } else {
        c.close();
      }
    }
  }
}
