package dev.gantry.proxy.l7;

import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.admin.AccessRecord;
import dev.gantry.proxy.admin.ProxyMetrics;
import dev.gantry.proxy.config.EndpointRuntime;
import dev.gantry.proxy.config.ListenerRuntime;
import dev.gantry.proxy.config.RouteRuntime;
import dev.gantry.proxy.config.RouteTarget;
import dev.gantry.proxy.config.SessionAffinity;
import dev.gantry.proxy.http1.VerbatimRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.concurrent.TimeUnit;

/**
 * The request a connection is answering now: where it goes, how far it got, and when each step happened.
 * Owned by one {@link ProxiedConnection}, on one event loop; {@link #reset} makes it ready for the next request.
 */
final class Exchange {

  private static final AsciiString GRPC_TIMEOUT = AsciiString.cached("grpc-timeout");

  // What was asked, and where it goes.
  ListenerRuntime listener;
  HttpRequest request;
  HttpMethod method;
  String originalUri;
  HttpVersion clientVersion;
  RouteRuntime route;
  RouteTarget target;
  /** The Origin of a request its route's CORS policy allows: the response then gets the CORS headers. */
  String corsOrigin;
  EndpointRuntime endpoint;
  /** The endpoint the request's session token named, when usable (sticky routes only), with the token's times. */
  SessionAffinity.Pin sessionPin;
  long sessionIssued;
  long sessionRefreshed;
  boolean idempotent;
  boolean upgradeRequested;
  boolean expectContinue;
  boolean requestHasBody;
  /** A gRPC request: the proxy's own answers take gRPC's form, and its {@code grpc-timeout} is a deadline. */
  boolean grpc;
  /** When the client's {@code grpc-timeout} runs out ({@link System#nanoTime}), or {@link Long#MAX_VALUE}. */
  long grpcDeadlineNanos;

  // How far it got.
  boolean clientKeepAlive;
  boolean closeAfterResponse;
  boolean upstreamReused;
  boolean upstreamKeepsAlive;
  boolean requestDone;
  boolean responseStarted;
  boolean skippingInterim;
  int status;
  int attempts;

  // When, and how much.
  long startNanos;
  long startMillis;
  long connectedNanos;
  long responseNanos;
  long lastUpstreamNanos;
  long requestBytes;
  long responseBytes;

  /** Whether a request is being answered (and not yet recorded). */
  boolean active() {
    return request != null;
  }

  /**
   * Starts the exchange of {@code req}, received at {@code receivedNanos} ({@link System#nanoTime}): the time of
   * the read that completed its head, or of the end of the exchange before it when it waited behind that one.
   */
  void start(HttpRequest req, ListenerRuntime listenerNow, boolean wallClock, long receivedNanos) {
    reset();
    startNanos = receivedNanos;
    startMillis = wallClock ? System.currentTimeMillis() : 0;
    request = req;
    method = req.method();
    originalUri = req.uri();
    clientVersion = req.protocolVersion();
    listener = listenerNow;
    // A head relayed as it arrived has no gRPC Content-Type.
    grpc = VerbatimRequest.untouched(req) == null && GrpcStatus.isGrpc(req.headers());
    long grpcTimeout = grpc ? GrpcTimeout.nanos(req.headers().get(GRPC_TIMEOUT)) : GrpcTimeout.NONE;
    grpcDeadlineNanos = grpcTimeout == GrpcTimeout.NONE || grpcTimeout > Long.MAX_VALUE / 2 ? Long.MAX_VALUE
        : startNanos + grpcTimeout;
  }

  /**
   * When the exchange must be over: the route's timeout from its start, or sooner the client's own gRPC
   * deadline; {@link Long#MAX_VALUE} for none.
   */
  long deadline() {
    long routeDeadline = route != null && route.timeoutNanos() > 0 ? startNanos + route.timeoutNanos() : Long.MAX_VALUE;
    return Math.min(routeDeadline, grpcDeadlineNanos);
  }

  /**
   * When the backend's silence cuts the exchange: after the listener's server timeout, unless the route set
   * its own {@code timeout}, which then alone bounds the exchange (a long-lived stream may stay quiet).
   */
  long serverIdleDeadline(ListenerRuntime l) {
    return route != null && route.timeoutSet() ? Long.MAX_VALUE : lastUpstreamNanos + l.timeouts().serverNanos();
  }

  /** When the client's silence cuts the exchange: as {@link #serverIdleDeadline}, for the client timeout. */
  long clientIdleDeadline(ListenerRuntime l, long lastClientReadNanos) {
    return route != null && route.timeoutSet() ? Long.MAX_VALUE : lastClientReadNanos + l.timeouts().clientNanos();
  }

  /** The route's retry budget, or the default for requests no route matched. */
  int retryBudget(int defaultRetries) {
    return route == null ? defaultRetries : route.retries();
  }

  /**
   * Counts the exchange in the metrics and writes its access-log line, once: afterwards {@link #active} is
   * false until the next request.
   */
  void record(AccessLog accessLog, String clientLabel, String termination, long now) {
    if (request == null) {
      return;
    }
    if (listener != null && status != 0) {
      int cls = ProxyMetrics.codeClass(status);
      if (target != null) {
        target.requests()[cls].increment();
      } else {
        listener.stats().unroutedRequests()[cls].increment();
      }
      listener.stats().latency().observeNanos(now - startNanos);
    }
    if (accessLog.enabled()) {
      boolean malformed = request.decoderResult().isFailure();
      accessLog.log(new AccessRecord(clientLabel, startMillis,
          listener == null ? "-" : listener.lbId(), listener == null ? "-" : listener.name(),
          route == null ? "" : route.name(),
          target == null ? "" : target.backend().name(),
          endpoint == null ? "" : endpoint.label(),
          malformed ? "" : method.name(), malformed ? "" : originalUri, malformed ? "" : clientVersion.text(),
          status, requestBytes, responseBytes,
          connectedNanos == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(connectedNanos - startNanos),
          responseNanos == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(responseNanos - startNanos),
          TimeUnit.NANOSECONDS.toMillis(now - startNanos), termination, Math.max(0, attempts - 1)));
    }
    request = null;
  }

  void reset() {
    request = null;
    route = null;
    target = null;
    corsOrigin = null;
    endpoint = null;
    sessionPin = null;
    idempotent = false;
    upgradeRequested = false;
    expectContinue = false;
    requestHasBody = false;
    clientKeepAlive = false;
    closeAfterResponse = false;
    upstreamReused = false;
    upstreamKeepsAlive = false;
    requestDone = false;
    responseStarted = false;
    skippingInterim = false;
    status = 0;
    attempts = 0;
    connectedNanos = 0;
    responseNanos = 0;
    requestBytes = 0;
    responseBytes = 0;
  }

  /** Methods RFC 9110 calls idempotent: safe to send twice when the first answer never came. */
  static boolean isIdempotent(HttpMethod m) {
    return m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS || m == HttpMethod.TRACE
        || m == HttpMethod.PUT || m == HttpMethod.DELETE;
  }
}
