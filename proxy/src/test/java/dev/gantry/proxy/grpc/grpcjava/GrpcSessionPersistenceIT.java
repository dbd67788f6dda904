package dev.gantry.proxy.grpc.grpcjava;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A grpc-java client through a route with a Header session to three grpc-java servers (h2c): the first call's
 * response headers carry the token, and calls that send it back as metadata all reach the same server while
 * calls without it are spread.
 */
class GrpcSessionPersistenceIT {

  static final Metadata.Key<String> SESSION = Metadata.Key.of("x-test-session", Metadata.ASCII_STRING_MARSHALLER);
  static final TestService[] servers = new TestService[3];
  static ProxyFixture proxy;
  static ManagedChannel channel;

  @BeforeAll
  static void start() {
    for (int i = 0; i < servers.length; i++) {
      servers[i] = TestService.cleartext();
    }
    int port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: grpc-sessions}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP}]
          routes:
          - name: test-service
            paths: [{type: Prefix, value: /grpc.testing.TestService}]
            backends: [{name: servers}]
            sessionPersistence: {type: Header, name: x-test-session}
          backends:
          - name: servers
            protocol: H2C
            endpoints:
            - {address: 127.0.0.1, port: %d}
            - {address: 127.0.0.1, port: %d}
            - {address: 127.0.0.1, port: %d}
        """.formatted(port, servers[0].port(), servers[1].port(), servers[2].port()));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    proxy.close();
    for (TestService s : servers) {
      s.close();
    }
  }

  /** Makes an EmptyCall (with the session token when given); returns the server that took it. */
  static int call(String token, AtomicReference<Metadata> headers) {
    int[] before = new int[servers.length];
    for (int i = 0; i < servers.length; i++) {
      before[i] = servers[i].emptyCalls.get();
    }
    Metadata sent = new Metadata();
    if (token != null) {
      sent.put(SESSION, token);
    }
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(channel,
        MetadataUtils.newAttachHeadersInterceptor(sent), MetadataUtils.newCaptureMetadataInterceptor(headers, trailers)),
        TestService.EMPTY_CALL, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), new byte[0]);
    for (int i = 0; i < servers.length; i++) {
      if (servers[i].emptyCalls.get() > before[i]) {
        return i;
      }
    }
    throw new AssertionError("no server took the call");
  }

  @Test
  void callsThatSendTheTokenBackAsMetadataStayOnOneServer() {
    AtomicReference<Metadata> headers = new AtomicReference<>();
    int pinned = call(null, headers);
    String token = headers.get().get(SESSION);
    assertThat(token).as("the token in the first call's response headers")
        .matches("[A-Za-z0-9_-]{11}\\.[0-9a-z]+\\.[0-9a-z]+");

    Set<Integer> unsticky = new HashSet<>();
    for (int i = 0; i < 15; i++) {
      assertThat(call(token, headers)).as("call %d with the token", i).isEqualTo(pinned);
      assertThat(headers.get().get(SESSION)).as("a valid token is not sent again").isNull();
      unsticky.add(call(null, new AtomicReference<>()));
    }
    assertThat(unsticky).containsExactlyInAnyOrder(0, 1, 2);
  }
}
