package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import org.junit.jupiter.api.Test;

class GrpcStatusTest {

  @Test
  void theProxysOwnAnswersSayWhatHappened() {
    assertThat(GrpcStatus.ofLocalAnswer(502)).isEqualTo(14);
    assertThat(GrpcStatus.ofLocalAnswer(503)).isEqualTo(14);
    assertThat(GrpcStatus.ofLocalAnswer(504)).isEqualTo(4);
    assertThat(GrpcStatus.ofLocalAnswer(404)).isEqualTo(12);
    assertThat(GrpcStatus.ofLocalAnswer(403)).isEqualTo(7);
    assertThat(GrpcStatus.ofLocalAnswer(429)).isEqualTo(8);
    assertThat(GrpcStatus.ofLocalAnswer(400)).isEqualTo(13);
    assertThat(GrpcStatus.ofLocalAnswer(431)).isEqualTo(13);
  }

  @Test
  void aBackendsHttpErrorsFollowGrpcsTable() {
    assertThat(GrpcStatus.ofBackendAnswer(400)).isEqualTo(13);
    assertThat(GrpcStatus.ofBackendAnswer(401)).isEqualTo(16);
    assertThat(GrpcStatus.ofBackendAnswer(403)).isEqualTo(7);
    assertThat(GrpcStatus.ofBackendAnswer(404)).isEqualTo(12);
    assertThat(GrpcStatus.ofBackendAnswer(429)).isEqualTo(14);
    assertThat(GrpcStatus.ofBackendAnswer(502)).isEqualTo(14);
    assertThat(GrpcStatus.ofBackendAnswer(503)).isEqualTo(14);
    assertThat(GrpcStatus.ofBackendAnswer(504)).isEqualTo(14);
    assertThat(GrpcStatus.ofBackendAnswer(500)).isEqualTo(2);
    assertThat(GrpcStatus.ofBackendAnswer(301)).isEqualTo(2);
  }

  @Test
  void grpcIsRecognisedByItsContentTypeOnly() {
    assertThat(GrpcStatus.isGrpc(new DefaultHttpHeaders().set("content-type", "application/grpc"))).isTrue();
    assertThat(GrpcStatus.isGrpc(new DefaultHttpHeaders().set("content-type", "application/grpc+proto"))).isTrue();
    assertThat(GrpcStatus.isGrpc(new DefaultHttpHeaders().set("content-type", "Application/GRPC;x=1"))).isTrue();
    assertThat(GrpcStatus.isGrpc(new DefaultHttpHeaders().set("content-type", "application/grpc-web"))).isFalse();
    assertThat(GrpcStatus.isGrpc(new DefaultHttpHeaders().set("content-type", "application/json"))).isFalse();
    assertThat(GrpcStatus.isGrpc(new DefaultHttpHeaders())).isFalse();
  }

  @Test
  void aTrailersOnlyAnswerHasNoBody() {
    FullHttpResponse r = GrpcStatus.trailersOnly(14, "503 Service Unavailable", false);
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(r.headers().get("grpc-status")).isEqualTo("14");
    assertThat(r.content().readableBytes()).isZero();
    r.release();
  }
}
