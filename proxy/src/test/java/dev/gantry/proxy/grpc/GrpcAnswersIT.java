package dev.gantry.proxy.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.GrpcOverRawH2;
import dev.gantry.proxy.testing.H2Backend;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawH2;
import dev.gantry.proxy.testing.RawH2.Frame;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.ScriptedBackend;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gRPC request the proxy answers itself (no route, no endpoint, a refused connection, a timeout), or that a
 * backend answers with a plain HTTP error page, gets a gRPC status in gRPC's trailers-only form: HTTP 200,
 * {@code content-type: application/grpc}, {@code grpc-status} and {@code grpc-message}, all in one HEADERS frame
 * ending the stream. Seen frame by frame from a raw HTTP/2 client over h2c.
 */
class GrpcAnswersIT {

  static ScriptedBackend silent;
  static ScriptedBackend htmlError;
  static ScriptedBackend unauthorized;
  static ScriptedBackend grpcError;
  static H2Backend h2;
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() {
    silent = new ScriptedBackend((head, in, out) -> Thread.sleep(60_000));
    htmlError = new ScriptedBackend((head, in, out) -> respond(out, "503 Service Unavailable",
        "Content-Type: text/html\r\nContent-Length: 33\r\n\r\n<html><h1>unavailable</h1></html>"));
    unauthorized = new ScriptedBackend((head, in, out) -> respond(out, "401 Unauthorized",
        "Content-Type: text/plain\r\nContent-Length: 4\r\n\r\nnope"));
    // A gRPC server's own error passes through as it is.
    grpcError = new ScriptedBackend((head, in, out) -> respond(out, "200 OK",
        "Content-Type: application/grpc\r\ngrpc-status: 5\r\ngrpc-message: no such thing\r\nContent-Length: 0\r\n\r\n"));
    // An HTTP/2 backend: /status/NNN answers NNN with a plain text body, /trailers-only a gRPC status alone.
    h2 = H2Backend.cleartext("h2");
    int closedPort = Ports.free();
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: grpc-answers}
        spec:
          timeouts: {connect: 300ms, server: 30s, client: 30s}
          listeners: [{name: h2c, port: %d, protocol: HTTP}]
          routes:
          - {name: drained, paths: [{type: Prefix, value: /drained.Svc}], backends: [{name: drained}]}
          - {name: refused, paths: [{type: Prefix, value: /refused.Svc}], backends: [{name: refused}], retries: 0}
          - {name: slow, paths: [{type: Prefix, value: /slow.Svc}], backends: [{name: silent}], timeout: 300ms}
          - {name: html, paths: [{type: Prefix, value: /html.Svc}], backends: [{name: html}]}
          - {name: unauthorized, paths: [{type: Prefix, value: /auth.Svc}], backends: [{name: unauthorized}]}
          - {name: grpc-error, paths: [{type: Prefix, value: /grpc.Svc}], backends: [{name: grpc-error}]}
          - {name: h2-status, paths: [{type: Prefix, value: /status}], backends: [{name: h2}]}
          - {name: h2-trailers-only, paths: [{type: Exact, value: /trailers-only}], backends: [{name: h2}]}
          backends:
          - {name: drained, endpoints: [{address: 127.0.0.1, port: %d, weight: 0}]}
          - {name: refused, endpoints: [{address: 127.0.0.1, port: %d}]}
          - {name: silent, endpoints: [%s]}
          - {name: html, endpoints: [%s]}
          - {name: unauthorized, endpoints: [%s]}
          - {name: grpc-error, endpoints: [%s]}
          - {name: h2, protocol: H2C, endpoints: [%s]}
        """.formatted(port, closedPort, closedPort, silent.endpoint(), htmlError.endpoint(), unauthorized.endpoint(),
        grpcError.endpoint(), h2.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    silent.close();
    htmlError.close();
    unauthorized.close();
    grpcError.close();
    h2.close();
  }

  private static void respond(java.io.OutputStream out, String status, String rest) throws java.io.IOException {
    out.write(("HTTP/1.1 " + status + "\r\n" + rest).getBytes(StandardCharsets.US_ASCII));
    out.flush();
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void noRouteIsUnimplemented() {
    assertTrailersOnly(call("/unknown.Svc/Call"), "12", "404 Not Found");
  }

  @Test
  void noUsableEndpointIsUnavailable() {
    assertTrailersOnly(call("/drained.Svc/Call"), "14", "503 Service Unavailable");
  }

  @Test
  void aRefusedConnectionIsUnavailable() {
    assertTrailersOnly(call("/refused.Svc/Call"), "14", "502 Bad Gateway");
  }

  @Test
  void theRouteTimeoutIsDeadlineExceeded() {
    assertTrailersOnly(call("/slow.Svc/Call"), "4", "504 Gateway Timeout");
  }

  @Test
  void aBackendsHtmlErrorPageBecomesUnavailableWithoutItsBody() {
    assertTrailersOnly(call("/html.Svc/Call"), "14", "backend answered HTTP 503");
  }

  @Test
  void aBackends401BecomesUnauthenticated() {
    assertTrailersOnly(call("/auth.Svc/Call"), "16", "backend answered HTTP 401");
  }

  @Test
  void aGrpcServersOwnStatusPassesThrough() {
    List<Frame> frames = call("/grpc.Svc/Call");
    assertThat(frames.get(0).headers().status()).hasToString("200");
    assertThat(frames.get(0).headers().get("grpc-status")).hasToString("5");
    assertThat(frames.get(0).headers().get("grpc-message")).hasToString("no such thing");
  }

  @Test
  void anHttp2BackendsPlainErrorBecomesTheGrpcStatusOfItsHttpStatus() {
    assertTrailersOnly(call("/status/503"), "14", "backend answered HTTP 503");
    assertTrailersOnly(call("/status/404"), "12");
    assertTrailersOnly(call("/status/500"), "2");
  }

  @Test
  void anHttp2BackendsTrailersOnlyGrpcAnswerStaysOneFrame() {
    List<Frame> frames = call("/trailers-only");
    assertTrailersOnly(frames, "5");
    assertThat(frames.get(0).headers().get("grpc-message")).hasToString("not found");
  }

  @Test
  void aPlainHttpRequestStillGetsAPlain404() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET /unknown HTTP/1.1\r\nHost: a\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.header("grpc-status")).isNull();
    }
  }

  @Test
  void aGrpcRequestOverHttp1GetsTheStatusInItsHeaders() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("POST /unknown.Svc/Call HTTP/1.1\r\nHost: a\r\nContent-Type: application/grpc+proto\r\n"
          + "Content-Length: 5\r\n\r\n\0\0\0\0\0");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("grpc-status")).isEqualTo("12");
    }
  }

  private static List<Frame> call(String path) {
    try (RawH2 c = RawH2.connectCleartext(port)) {
      GrpcOverRawH2.start(c, 1, path, true);
      return GrpcOverRawH2.framesOf(c, 1);
    }
  }

  /** {@link #assertTrailersOnly(List, String)} with this {@code grpc-message}. */
  static void assertTrailersOnly(List<Frame> frames, String grpcStatus, String grpcMessage) {
    assertTrailersOnly(frames, grpcStatus);
    assertThat(frames.get(0).headers().get("grpc-message")).hasToString(grpcMessage);
  }

  /** One HEADERS frame ending the stream: HTTP 200, application/grpc, the status and a message. */
  static void assertTrailersOnly(List<Frame> frames, String grpcStatus) {
    assertThat(frames).as("frames of the stream").hasSize(1);
    Frame f = frames.get(0);
    assertThat(f.type()).isEqualTo(RawH2.HEADERS);
    assertThat(f.flags() & RawH2.END_STREAM).isEqualTo(RawH2.END_STREAM);
    assertThat(f.headers().status()).hasToString("200");
    assertThat(f.headers().get("content-type")).hasToString("application/grpc");
    assertThat(f.headers().get("grpc-status")).hasToString(grpcStatus);
    assertThat(f.headers().get("grpc-message")).isNotNull();
  }
}
