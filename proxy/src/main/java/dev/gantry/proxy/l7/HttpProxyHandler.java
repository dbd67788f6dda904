package dev.gantry.proxy.l7;

import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.admin.AccessRecord;
import dev.gantry.proxy.admin.ProxyMetrics;
import dev.gantry.proxy.config.ActiveConfig;
import dev.gantry.proxy.config.BackendRuntime;
import dev.gantry.proxy.config.BackendRuntime.RetryReason;
import dev.gantry.proxy.config.CompiledConfig;
import dev.gantry.proxy.config.ConfigCompiler;
import dev.gantry.proxy.config.EndpointRuntime;
import dev.gantry.proxy.config.ListenerRemoved;
import dev.gantry.proxy.config.ListenerRuntime;
import dev.gantry.proxy.config.RouteRuntime;
import dev.gantry.proxy.config.RouteTarget;
import dev.gantry.proxy.http1.ServerCodec;
import dev.gantry.proxy.upstream.BackendState;
import dev.gantry.proxy.upstream.UpstreamConnection;
import dev.gantry.proxy.upstream.UpstreamListener;
import dev.gantry.proxy.upstream.UpstreamPools;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Proxies the HTTP/1.1 exchanges of one client connection, one at a time and in order (so pipelined
 * requests are answered in order). Bodies stream both ways with backpressure: the client is read only while
 * the backend accepts what is written, and the backend only while the client does. Client and backend
 * connection share one event loop, so nothing here needs a lock.
 *
 * <p>All timeouts run off one timer per connection that is re-armed lazily: a request that finishes before
 * the armed time costs no timer operation at all.
 */
public final class HttpProxyHandler extends ChannelInboundHandlerAdapter
    implements UpstreamListener, BackendState.Waiter {

  private enum State {
    /** Waiting for a request head. */
    IDLE,
    /** A request head is routed; every endpoint is at its connection limit: waiting in the backend's queue. */
    QUEUED,
    /** A request head is routed; waiting for a backend connection. */
    CONNECTING,
    /** Relaying the request body and the response. */
    FORWARDING,
    /** A WebSocket or other upgraded connection: raw bytes both ways. */
    TUNNEL,
    CLOSED
  }

  /** Which deadline the timer found expired. */
  private enum Expiry { NONE, KEEP_ALIVE, REQUEST_HEAD, CLIENT, SERVER, ROUTE, QUEUE, TUNNEL }

  private final ActiveConfig config;
  private final int port;
  private final UpstreamPools pools;
  private final AccessLog accessLog;
  private final ClientTraffic traffic;
  private final InboundQueue inbound = new InboundQueue(() -> LimitHits.pipelinedRequests(currentListener()));
  private final ReplayBuffer replay = new ReplayBuffer();
  private final Exchange ex = new Exchange();
  private final LazyTimer timer = new LazyTimer(this::onTimer);

  private ChannelHandlerContext ctx;
  /** The configuration {@link #cachedListener} was looked up in: a lookup per reload, not per request. */
  private CompiledConfig cachedConfig;
  private ListenerRuntime cachedListener;
  /** The Forwarded element of the last request's Host, reused while Host stays the same. */
  private final ForwardingHeaders.Cache forwarded = new ForwardingHeaders.Cache();
  private String clientIp;
  private ClientIdentity clientIdentity = ClientIdentity.ANONYMOUS;
  private java.net.InetAddress clientAddress;
  private String clientLabel;
  private State state = State.IDLE;

  // The current exchange.
  /** Whether this exchange holds one of {@code endpoint}'s slots (see maxConnectionsPerEndpoint). */
  private boolean slotHeld;
  /** Read by other event loops through {@link #waiting()}. */
  private volatile boolean queued;
  private long queuedSinceNanos;
  private UpstreamConnection upstream;
  /** The channel being dialled for this exchange, to close it when the exchange is given up. */
  private io.netty.channel.Channel dialling;
  /** Numbers each connection request; a callback with another number is about one given up. */
  private long dialAttempt;

  public HttpProxyHandler(ActiveConfig config, int port, UpstreamPools pools, AccessLog accessLog,
      ClientTraffic traffic) {
    this.config = config;
    this.port = port;
    this.pools = pools;
    this.accessLog = accessLog;
    this.traffic = traffic;
  }

  // ---------------------------------------------------------------- client side

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.timer.bind(ctx.executor());
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    // HTTP/2 took the connection over (h2c) before any request: no deadline of this handler applies any more.
    timer.cancel();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    clientAddress = remote.getAddress();
    clientIp = clientAddress.getHostAddress();
    clientIdentity = ClientIdentity.of(ctx.channel());
    clientLabel = clientIp.indexOf(':') >= 0 ? "[" + clientIp + "]:" + remote.getPort() : clientIp + ":" + remote.getPort();
    ListenerRuntime l = config.current().listener(port);
    if (l == null) {
      ctx.close();
      return;
    }
    idleTimerFor(l);
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (inbound.refuses(msg)) {
      return;
    }
    switch (state) {
      case IDLE -> {
        if (inbound.isEmpty()) {
          takeIdle(msg);
        } else {
          inbound.add(msg);
          drainIdle();
        }
      }
      case FORWARDING -> {
        if (!ex.requestDone && inbound.isEmpty()) {
          forwardRequestPart(msg);
        } else {
          inbound.add(msg);
        }
      }
      case TUNNEL -> tunnelFromClient(msg);
      case QUEUED, CONNECTING -> inbound.add(msg);
      default -> ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (state == State.FORWARDING || state == State.TUNNEL) {
      upstream.flush();
      if (state == State.TUNNEL || !ex.requestDone) {
        if (upstream.isWritable()) {
          ctx.read();
        }
      }
    } else if (state == State.IDLE && inbound.isEmpty()) {
      ctx.read();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable() && upstream != null && (state == State.FORWARDING || state == State.TUNNEL)) {
      traffic.lastReadNanos = System.nanoTime();
      upstream.read();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    State was = state;
    state = State.CLOSED;
    timer.cancel();
    queued = false;
    if (was == State.QUEUED || was == State.CONNECTING || was == State.FORWARDING) {
      finish(ex.responseStarted ? "CD" : "CR");
    }
    if (upstream != null) {
      upstream.close();
      upstream = null;
    }
    abandonDialling();
    releaseSlot();
    replay.reset();
    inbound.releaseAll();
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ListenerRemoved.INSTANCE) {
      // Idle keep-alive connections go now; a running exchange finishes, then the connection closes.
      if (state == State.IDLE && inbound.isEmpty()) {
        state = State.CLOSED;
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets and I/O errors on the client side: nothing to answer, the connection is gone.
    ctx.close();
  }

  private void takeIdle(Object msg) {
    if (msg instanceof HttpRequest req) {
      startExchange(req);
    } else {
      // The end of a request answered locally, or the rest of a malformed one.
      ReferenceCountUtil.release(msg);
    }
  }

  /** Processes queued (pipelined) messages while no exchange is running. */
  private void drainIdle() {
    Object msg;
    while (state == State.IDLE && (msg = inbound.poll()) != null) {
      takeIdle(msg);
    }
    if (state == State.IDLE && inbound.isEmpty()) {
      ctx.read();
    }
  }

  // ---------------------------------------------------------------- a request arrives

  private void startExchange(HttpRequest req) {
    traffic.headReceived();
    forgetUpstream();
    ex.start(req, currentListener(), accessLog.enabled());
    if (req.decoderResult().isFailure()) {
      rejectMalformed(req.decoderResult().cause());
      return;
    }
    ex.clientKeepAlive = HttpUtil.isKeepAlive(req);
    HttpHeaders headers = req.headers();
    ex.requestHasBody = HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0;
    if (ex.listener == null || !ex.listener.protocol().isHttp()) {
      // The listener was removed by a reload: answer, then let the connection go.
      respondLocal(HttpResponseStatus.SERVICE_UNAVAILABLE, true, "PR");
      return;
    }
    HttpResponseStatus refused = RequestValidator.check(req);
    if (refused != null || (!ex.originalUri.startsWith("/") && !ex.originalUri.equals("*")
        && !RequestTargets.toOriginForm(req))) {
      respondLocal(refused != null ? refused : HttpResponseStatus.BAD_REQUEST, true, "CR");
      return;
    }
    ex.originalUri = req.uri();
    String hostHeader = headers.get(HttpHeaderNames.HOST);
    if (ex.listener.redirectPort() > 0) {
      redirectToHttps(hostHeader);
      return;
    }
    if (clientIdentity.rejected()) {
      respondLocal(HttpResponseStatus.FORBIDDEN, false, "PR");
      return;
    }
    RouteMatch match = ex.listener.router().route(HostNames.normalize(hostHeader), ex.originalUri, ex.method, headers);
    if (match != null) {
      ex.route = match.route();
      ex.target = ex.route.pickTarget();
    } else {
      ex.target = ex.listener.defaultTarget();
    }
    if (ex.target == null) {
      respondLocal(match == null ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.SERVICE_UNAVAILABLE,
          false, "--");
      return;
    }
    ex.idempotent = Exchange.isIdempotent(ex.method);
    RequestHeads.Asked asked = RequestHeads.prepare(req, ex.route, match, ex.originalUri, ex.listener, clientIp,
        hostHeader, forwarded, clientIdentity);
    ex.upgradeRequested = asked.upgrade();
    ex.expectContinue = asked.expectContinue();
    dispatch(false, null);
  }

  /**
   * Picks an endpoint with a free slot and connects to it (a pooled connection when {@code fresh} is false).
   * When every usable endpoint is full the request waits in the backend's queue; when none is usable it is
   * answered 503. {@code avoid}, when set, is passed over if another endpoint is usable (a retry).
   */
  private void dispatch(boolean fresh, EndpointRuntime avoid) {
    BackendRuntime backend = ex.target.backend();
    EndpointRuntime chosen = null;
    for (int i = 0; i < 3 && chosen == null; i++) {
      EndpointRuntime e = backend.pick(clientAddress);
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
        respondLocal(HttpResponseStatus.SERVICE_UNAVAILABLE, !ex.requestDone, "SC");
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
    state = State.CONNECTING;
    ex.attempts++;
    timer.armAtMost(routeDeadline());
    long timeout = ex.target.backend().connectTimeoutMillis();
    long attempt = ++dialAttempt;
    io.netty.channel.Channel ch = fresh ? pools.connectFresh(e, timeout, this, attempt)
        : pools.acquire(e, timeout, this, attempt);
    // The outcome may already be known (and acted on, even by a new attempt): only a pending dial is kept.
    if (attempt == dialAttempt && state == State.CONNECTING && upstream == null) {
      dialling = ch;
    }
  }

  /** HAProxy's queue: wait (at most the connect timeout) for an endpoint slot to free up. */
  private void waitForSlot(BackendRuntime backend) {
    if (state != State.QUEUED) {
      queuedSinceNanos = System.nanoTime();
    }
    state = State.QUEUED;
    queued = true;
    if (!backend.state().enqueue(this)) {
      queued = false;
      backend.queueRejected(false);
      respondLocal(HttpResponseStatus.SERVICE_UNAVAILABLE, !ex.requestDone, "sQ");
      return;
    }
    timer.armAtMost(Math.min(queueDeadline(), routeDeadline()));
  }

  private long queueDeadline() {
    return queuedSinceNanos + TimeUnit.MILLISECONDS.toNanos(ex.target.backend().connectTimeoutMillis());
  }

  @Override
  public void execute(Runnable task) {
    ctx.executor().execute(task);
  }

  @Override
  public boolean waiting() {
    return queued;
  }

  @Override
  public void slotAvailable() {
    if (!queued || state != State.QUEUED) {
      return;
    }
    queued = false;
    BackendRuntime backend = ex.target.backend();
    EndpointRuntime e = backend.pick(clientAddress);
    if (e != null && e.state().tryOpen()) {
      connectTo(e, false);
    } else if (!backend.anyAvailable()) {
      respondLocal(HttpResponseStatus.SERVICE_UNAVAILABLE, !ex.requestDone, "SC");
    } else {
      // Another request took the slot first: back to the head of the queue.
      queued = true;
      backend.state().requeue(this);
    }
  }

  /** Gives the endpoint slot back, once per exchange. */
  private void releaseSlot() {
    if (slotHeld) {
      slotHeld = false;
      ex.endpoint.state().closed();
    }
  }

  private void abandonDialling() {
    dialAttempt++;
    if (dialling != null) {
      io.netty.channel.Channel c = dialling;
      dialling = null;
      c.close();
    }
  }

  /**
   * Whether the request may be sent again: within the route's retries, and, once any of it reached a
   * backend, only for an idempotent method whose whole body so far can be replayed and before any byte of
   * a response reached the client.
   */
  private boolean mayRetry(RetryReason reason) {
    int retries = ex.route == null ? ConfigCompiler.DEFAULT_RETRIES : ex.route.retries();
    if (state == State.CLOSED || ex.responseStarted || ex.attempts > retries) {
      return false;
    }
    return reason == RetryReason.CONNECT || (ex.idempotent && replay.replayable());
  }

  /** Sends the request again, to another endpoint when there is one, on a fresh connection. */
  private void retry(RetryReason reason) {
    EndpointRuntime failed = ex.endpoint;
    ex.target.backend().retried(reason);
    releaseSlot();
    dispatch(true, failed);
  }

  // ---------------------------------------------------------------- upstream events

  @Override
  public void upstreamConnected(UpstreamConnection connection, boolean reused, long attempt) {
    if (state != State.CONNECTING || attempt != dialAttempt) {
      // Dialled for an exchange that is over: the connection is clean, keep it.
      connection.release();
      return;
    }
    dialling = null;
    upstream = connection;
    ex.upstreamReused = reused;
    ex.connectedNanos = System.nanoTime();
    ex.lastUpstreamNanos = ex.connectedNanos;
    state = State.FORWARDING;
    upstream.write(ex.request);
    // A retry sends again what the previous attempt had sent; the first attempt has nothing yet.
    replay.resend(upstream);
    if (ex.expectContinue) {
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
          Unpooled.EMPTY_BUFFER));
    }
    Object msg;
    while (!ex.requestDone && (msg = inbound.peek()) != null) {
      inbound.poll();
      forwardRequestPart(msg);
    }
    upstream.flush();
    upstream.read();
    if (!ex.requestDone && inbound.isEmpty() && upstream.isWritable()) {
      ctx.read();
    }
    timer.armAtMost(Math.min(ex.serverIdleDeadline(ex.listener), routeDeadline()));
  }

  @Override
  public void upstreamConnectFailed(long attempt, Throwable cause) {
    if (state != State.CONNECTING || attempt != dialAttempt) {
      return;
    }
    dialling = null;
    ex.endpoint.connectFailures().increment();
    ex.target.backend().failed(ex.endpoint);
    if (mayRetry(RetryReason.CONNECT)) {
      retry(RetryReason.CONNECT);
    } else {
      respondLocal(HttpResponseStatus.BAD_GATEWAY, !ex.requestDone, "SC");
    }
  }

  @Override
  public void upstreamRead(Object msg) {
    ex.lastUpstreamNanos = System.nanoTime();
    if (state == State.TUNNEL) {
      tunnelFromUpstream(msg);
      return;
    }
    if (state != State.FORWARDING) {
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
      ctx.write(content, ctx.voidPromise());
      if (last) {
        completeExchange();
      }
    }
  }

  /** Handles a response head; false when it was not forwarded (an interim or failed response). */
  private boolean onResponseHead(HttpResponse resp) {
    if (resp.decoderResult().isFailure() || !ResponseFraming.acceptable(resp)) {
      upstreamFailed("SH");
      return false;
    }
    int code = resp.status().code();
    if (code == 101 && ex.upgradeRequested) {
      startTunnel(resp);
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
    if ((code == 502 || code == 503) && mayRetry(RetryReason.STATUS)) {
      // This answer is dropped: its connection goes, with whatever of its body is still to come.
      upstream.close();
      upstream = null;
      retry(RetryReason.STATUS);
      return false;
    }
    replay.clear();
    ex.status = code;
    ex.responseStarted = true;
    ex.responseNanos = System.nanoTime();
    ex.upstreamKeepsAlive = ResponseHeads.backendKeepsAlive(resp, ex.method);
    if (!ResponseHeads.prepare(resp, ex.route, ex.clientVersion, ex.method,
        ex.clientKeepAlive && !listenerGone() && !inbound.lastKeptTaken())) {
      ex.closeAfterResponse = true;
    }
    ctx.write(resp, ctx.voidPromise());
    return true;
  }

  @Override
  public void upstreamReadComplete() {
    if (state == State.FORWARDING || state == State.TUNNEL) {
      ctx.flush();
      if (ctx.channel().isWritable()) {
        upstream.read();
      }
    }
  }

  @Override
  public void upstreamWritabilityChanged() {
    if (upstream == null || !upstream.isWritable()) {
      return;
    }
    if (state == State.FORWARDING && !ex.requestDone) {
      Object msg;
      while (!ex.requestDone && (msg = inbound.poll()) != null) {
        forwardRequestPart(msg);
      }
      upstream.flush();
      if (!ex.requestDone) {
        ctx.read();
      }
    } else if (state == State.TUNNEL) {
      ctx.read();
    }
  }

  @Override
  public void upstreamClosed() {
    UpstreamConnection closed = upstream;
    upstream = null;
    if (state == State.TUNNEL) {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      state = State.CLOSED;
      return;
    }
    if (state != State.FORWARDING) {
      return;
    }
    if (!ex.responseStarted) {
      if (closed != null && closed.refused() && replay.replayable() && mayRetry(RetryReason.CONNECT)) {
        retry(RetryReason.RESET); // an HTTP/2 stream the backend never processed: safe for any method
        return;
      }
      ex.target.backend().failed(ex.endpoint);
      if (ex.upstreamReused && closed != null && ex.idempotent && replay.replayable()) {
        // A pooled connection the server closed while idle: not the endpoint's fault, and free of charge.
        ex.attempts--;
        retry(RetryReason.RESET);
        return;
      }
      if (mayRetry(RetryReason.RESET)) {
        retry(RetryReason.RESET);
        return;
      }
    }
    upstreamFailed(ex.responseStarted ? "SD" : "SH");
  }

  /** The backend failed mid-exchange: 502 if the client has seen nothing yet, else cut the client off. */
  private void upstreamFailed(String termination) {
    if (upstream != null) {
      upstream.close();
      upstream = null;
    }
    if (!ex.responseStarted) {
      respondLocal(HttpResponseStatus.BAD_GATEWAY, !ex.requestDone, termination);
    } else {
      abort(termination);
    }
  }

  // ---------------------------------------------------------------- request body

  private void forwardRequestPart(Object msg) {
    if (!(msg instanceof HttpContent content)) {
      // The decoder always ends a request with LastHttpContent before the next head: this is a bug.
      ReferenceCountUtil.release(msg);
      abort("PR");
      return;
    }
    if (content.decoderResult().isFailure()) {
      content.release();
      if (!ex.responseStarted) {
        respondLocal(HttpResponseStatus.BAD_REQUEST, true, "CR");
      } else {
        abort("CR");
      }
      return;
    }
    int n = content.content().readableBytes();
    ex.requestBytes += n;
    if (content instanceof LastHttpContent) {
      ex.requestDone = true;
    }
    if (ex.idempotent || ex.endpoint.http2()) {
      replay.record(content); // a refused HTTP/2 stream is sent again whatever its method
    }
    upstream.write(content);
  }

  // ---------------------------------------------------------------- the end of an exchange

  private void completeExchange() {
    releaseSlot();
    UpstreamConnection u = upstream;
    upstream = null;
    if (u != null) {
      if (ex.requestDone && ex.upstreamKeepsAlive) {
        u.release();
      } else {
        u.close();
      }
    }
    finish("--");
    if (!ex.requestDone || ex.closeAfterResponse || !ex.clientKeepAlive || listenerGone()) {
      state = State.CLOSED;
      LingeringClose.after(ctx.writeAndFlush(Unpooled.EMPTY_BUFFER), inbound.lastKeptTaken());
      return;
    }
    ctx.flush();
    nextRequest();
  }

  /** This port's listener in the configuration served now. */
  private ListenerRuntime currentListener() {
    CompiledConfig now = config.current();
    if (now != cachedConfig) {
      cachedConfig = now;
      cachedListener = now.listener(port);
    }
    return cachedListener;
  }

  /**
   * Whether a reload removed this connection's listener (or made it a non-HTTP one). A listener merely
   * reconfigured keeps its connections: their next requests are served by the new configuration.
   */
  private boolean listenerGone() {
    ListenerRuntime now = currentListener();
    return now == null || !now.protocol().isHttp();
  }

  /** Back to waiting for a request on a kept-alive connection. */
  private void nextRequest() {
    if (inbound.lastKeptTaken()) {
      state = State.CLOSED;
      LingeringClose.after(ctx.writeAndFlush(Unpooled.EMPTY_BUFFER), true);
      return;
    }
    state = State.IDLE;
    traffic.expectHead();
    traffic.lastReadNanos = System.nanoTime();
    idleTimerFor(ex.listener);
    if (!inbound.isEmpty()) {
      drainIdle();
    } else {
      ctx.read();
    }
  }

  /** Answers the current request from the proxy itself. */
  private void respondLocal(HttpResponseStatus s, boolean close, String termination) {
    boolean mustClose = close || !ex.clientKeepAlive || (ex.requestHasBody && !ex.requestDone) || ex.listener == null;
    ex.status = s.code();
    ex.responseStarted = true;
    queued = false;
    if (upstream != null) {
      upstream.close();
      upstream = null;
    }
    abandonDialling();
    releaseSlot();
    replay.clear();
    finish(termination);
    if (mustClose) {
      state = State.CLOSED;
      ctx.writeAndFlush(ErrorResponses.of(s, true, ex.grpc)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.writeAndFlush(ErrorResponses.of(s, inbound.lastKeptTaken(), ex.grpc));
    nextRequest();
  }

  private void redirectToHttps(String hostHeader) {
    boolean close = !ex.clientKeepAlive || ex.requestHasBody;
    ex.status = 301;
    ex.responseStarted = true;
    finish("--");
    String host = HostNames.normalize(hostHeader);
    ctx.writeAndFlush(ErrorResponses.redirect(host, ex.listener.redirectPort(), ex.originalUri, close));
    if (close) {
      state = State.CLOSED;
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    } else {
      nextRequest();
    }
  }

  private void rejectMalformed(Throwable cause) {
    HttpResponseStatus s = RequestValidator.statusOfMalformed(cause);
    LimitHits.refused(currentListener(), s);
    if (ex.listener == null) {
      ex.status = s.code();
      state = State.CLOSED;
      ctx.writeAndFlush(ErrorResponses.of(s, true)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    respondLocal(s, true, "CR");
  }

  /** Cuts the client off after part of a response was sent: the only honest signal left. */
  private void abort(String termination) {
    finish(termination);
    state = State.CLOSED;
    if (upstream != null) {
      upstream.close();
      upstream = null;
    }
    releaseSlot();
    replay.clear();
    ctx.close();
  }

  /** Metrics and the access-log line of the current exchange; each exchange is finished once. */
  private void finish(String termination) {
    ex.record(accessLog, clientLabel, termination);
  }

  /** What the handler itself keeps of the previous exchange's backend side (the rest is in {@link #ex}). */
  private void forgetUpstream() {
    upstream = null;
    dialling = null;
    slotHeld = false;
    queued = false;
    replay.reset();
  }

  // ---------------------------------------------------------------- WebSocket and other upgrades

  private void startTunnel(HttpResponse switching) {
    ex.status = 101;
    ex.responseStarted = true;
    ex.responseNanos = System.nanoTime();
    state = State.TUNNEL;
    ForwardingHeaders.stripHopByHop(switching.headers(), true);
    switching.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    ctx.writeAndFlush(switching);
    // Bytes after the 101 are the new protocol's: both codecs leave; what they buffered is passed on.
    upstream.switchToTunnel(this);
    ctx.pipeline().remove(ServerCodec.class);
    inbound.releaseAll();
    finish("--");
    timer.armAtMost(System.nanoTime() + ex.listener.timeouts().tunnelNanos());
    ctx.read();
    upstream.read();
  }

  private void tunnelFromClient(Object msg) {
    TunnelBytes.forward(msg, upstream::write);
  }

  private void tunnelFromUpstream(Object msg) {
    TunnelBytes.forward(msg, bytes -> ctx.write(bytes, ctx.voidPromise()));
  }

  // ---------------------------------------------------------------- timeouts

  private void idleTimerFor(ListenerRuntime l) {
    if (l == null) {
      return;
    }
    long now = System.nanoTime();
    timer.armAtMost(now + Math.min(l.timeouts().clientNanos(), l.timeouts().httpRequestNanos()));
  }

  private long routeDeadline() {
    return ex.deadline();
  }

  private void onTimer() {
    if (state == State.CLOSED) {
      return;
    }
    long now = System.nanoTime();
    ListenerRuntime l = ex.listener != null ? ex.listener : config.current().listener(port);
    if (l == null) {
      ctx.close();
      return;
    }
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
        deadline = queueDeadline();
        kind = Expiry.QUEUE;
        if (routeDeadline() < deadline) {
          deadline = routeDeadline();
          kind = Expiry.ROUTE;
        }
      }
      case CONNECTING -> {
        deadline = routeDeadline();
        kind = Expiry.ROUTE;
      }
      case FORWARDING -> {
        deadline = ex.serverIdleDeadline(l);
        kind = Expiry.SERVER;
        if (!ex.requestDone || !ctx.channel().isWritable()) {
          long client = ex.clientIdleDeadline(l, traffic.lastReadNanos);
          if (client < deadline) {
            deadline = client;
            kind = Expiry.CLIENT;
          }
        }
        if (routeDeadline() < deadline) {
          deadline = routeDeadline();
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
    switch (kind) {
      case KEEP_ALIVE -> {
        state = State.CLOSED;
        ctx.close();
      }
      case REQUEST_HEAD -> {
        state = State.CLOSED;
        ctx.writeAndFlush(ErrorResponses.of(HttpResponseStatus.REQUEST_TIMEOUT, true))
            .addListener(ChannelFutureListener.CLOSE);
      }
      case CLIENT -> {
        if (!ex.responseStarted) {
          respondLocal(HttpResponseStatus.REQUEST_TIMEOUT, true, "cD");
        } else {
          abort("cD");
        }
      }
      case QUEUE -> {
        queued = false;
        ex.target.backend().queueRejected(true);
        respondLocal(HttpResponseStatus.SERVICE_UNAVAILABLE, !ex.requestDone, "sQ");
      }
      case SERVER, ROUTE -> {
        String termination = ex.responseStarted ? "sD"
            : state == State.QUEUED ? "sQ" : state == State.CONNECTING ? "sC" : "sH";
        queued = false;
        if (state == State.FORWARDING && !ex.responseStarted && ex.endpoint != null) {
          ex.target.backend().failed(ex.endpoint);
        }
        abandonDialling();
        if (upstream != null) {
          upstream.close();
          upstream = null;
        }
        if (!ex.responseStarted) {
          respondLocal(HttpResponseStatus.GATEWAY_TIMEOUT, !ex.requestDone, termination);
        } else {
          abort(termination);
        }
      }
      case TUNNEL -> {
        state = State.CLOSED;
        if (upstream != null) {
          upstream.close();
          upstream = null;
        }
        ctx.close();
      }
      default -> {
      }
    }
  }
}
