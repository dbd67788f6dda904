package dev.gantry.proxy.grpc.grpcjava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Calls made by a grpc-java client to {@link TestService}, written after the gRPC interop test descriptions (their
 * names, message sizes, status codes and metadata) and checked here, plus gzip compression both ways. They are not
 * the interop suite (grpc-go's official client and server run it: {@code GrpcGoInteropIT}); they put grpc-java's
 * own transport on both ends. Each case throws an AssertionError when the call does not behave as described.
 */
final class GrpcJavaCases {

  /** The interop suite's own special status message: whitespace, a BMP and a non-BMP character. */
  static final String SPECIAL_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \uD83D\uDE08\t\n";
  private static final int[] STREAM_SIZES = {31415, 9, 2653, 58979};
  private static final int[] STREAM_PAYLOADS = {27182, 8, 1828, 45904};
  private static final long WAIT_SECONDS = 10;

  /** Every case by the name of the interop case it follows (the gzip ones have none), in the suite's order. */
  static final Map<String, Consumer<Channel>> CASES = new LinkedHashMap<>();

  static {
    CASES.put("empty_unary", GrpcJavaCases::emptyUnary);
    CASES.put("large_unary", GrpcJavaCases::largeUnary);
    CASES.put("client_streaming", GrpcJavaCases::clientStreaming);
    CASES.put("server_streaming", GrpcJavaCases::serverStreaming);
    CASES.put("ping_pong", GrpcJavaCases::pingPong);
    CASES.put("empty_stream", GrpcJavaCases::emptyStream);
    CASES.put("cancel_after_begin", GrpcJavaCases::cancelAfterBegin);
    CASES.put("cancel_after_first_response", GrpcJavaCases::cancelAfterFirstResponse);
    CASES.put("timeout_on_sleeping_server", GrpcJavaCases::timeoutOnSleepingServer);
    CASES.put("status_code_and_message", GrpcJavaCases::statusCodeAndMessage);
    CASES.put("special_status_message", GrpcJavaCases::specialStatusMessage);
    CASES.put("unimplemented_method", GrpcJavaCases::unimplementedMethod);
    CASES.put("unimplemented_service", GrpcJavaCases::unimplementedService);
    CASES.put("custom_metadata", GrpcJavaCases::customMetadata);
    CASES.put("gzip_unary", GrpcJavaCases::gzipUnary);
    CASES.put("gzip_streaming", GrpcJavaCases::gzipStreaming);
  }

  private GrpcJavaCases() {
  }

  static void emptyUnary(Channel ch) {
    byte[] r = ClientCalls.blockingUnaryCall(ch, TestService.EMPTY_CALL, options(), new byte[0]);
    assertThat(r).isEmpty();
  }

  static void largeUnary(Channel ch) {
    byte[] r = ClientCalls.blockingUnaryCall(ch, TestService.UNARY_CALL, options(), Ask.sizes(271828, 314159).encode());
    assertThat(r).hasSize(314159);
  }

  static void clientStreaming(Channel ch) {
    Collector c = new Collector();
    var requests = ClientCalls.asyncClientStreamingCall(ch.newCall(TestService.STREAMING_INPUT_CALL, options()), c);
    for (int p : STREAM_PAYLOADS) {
      requests.onNext(Ask.sizes(p).encode());
    }
    requests.onCompleted();
    c.awaitOk();
    assertThat(ByteBuffer.wrap(c.only()).getInt()).isEqualTo(74922);
  }

  static void serverStreaming(Channel ch) {
    Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(ch, TestService.STREAMING_OUTPUT_CALL, options(),
        Ask.sizes(0, STREAM_SIZES).encode());
    List<Integer> sizes = new ArrayList<>();
    it.forEachRemaining(r -> sizes.add(r.length));
    assertThat(sizes).containsExactly(31415, 9, 2653, 58979);
  }

  static void pingPong(Channel ch) {
    Collector c = new Collector();
    var requests = ClientCalls.asyncBidiStreamingCall(ch.newCall(TestService.FULL_DUPLEX_CALL, options()), c);
    for (int i = 0; i < STREAM_SIZES.length; i++) {
      requests.onNext(Ask.sizes(STREAM_PAYLOADS[i], STREAM_SIZES[i]).encode());
      assertThat(c.next()).as("response %d", i).hasSize(STREAM_SIZES[i]);
    }
    requests.onCompleted();
    c.awaitOk();
  }

  static void emptyStream(Channel ch) {
    Collector c = new Collector();
    var requests = ClientCalls.asyncBidiStreamingCall(ch.newCall(TestService.FULL_DUPLEX_CALL, options()), c);
    requests.onCompleted();
    c.awaitOk();
    assertThat(c.responses).isEmpty();
  }

  static void cancelAfterBegin(Channel ch) {
    Collector c = new Collector();
    ClientCall<byte[], byte[]> call = ch.newCall(TestService.STREAMING_INPUT_CALL, options());
    ClientCalls.asyncClientStreamingCall(call, c);
    call.cancel("cancelled by the test", null);
    assertThat(c.awaitStatus().getCode()).isEqualTo(Status.Code.CANCELLED);
  }

  static void cancelAfterFirstResponse(Channel ch) {
    Collector c = new Collector();
    ClientCall<byte[], byte[]> call = ch.newCall(TestService.FULL_DUPLEX_CALL, options());
    var requests = ClientCalls.asyncBidiStreamingCall(call, c);
    requests.onNext(Ask.sizes(27182, 31415).encode());
    assertThat(c.next()).hasSize(31415);
    call.cancel("cancelled by the test", null);
    assertThat(c.awaitStatus().getCode()).isEqualTo(Status.Code.CANCELLED);
  }

  static void timeoutOnSleepingServer(Channel ch) {
    Collector c = new Collector();
    var requests = ClientCalls.asyncBidiStreamingCall(
        ch.newCall(TestService.FULL_DUPLEX_CALL, options().withDeadlineAfter(1, TimeUnit.MILLISECONDS)), c);
    requests.onNext(Ask.sizes(27182).encode());
    assertThat(c.awaitStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  static void statusCodeAndMessage(Channel ch) {
    StatusRuntimeException unary = catchThrowableOfType(StatusRuntimeException.class, () ->
        ClientCalls.blockingUnaryCall(ch, TestService.UNARY_CALL, options(),
            Ask.status(2, "test status message").encode()));
    assertThat(unary.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(unary.getStatus().getDescription()).isEqualTo("test status message");
    Collector c = new Collector();
    var requests = ClientCalls.asyncBidiStreamingCall(ch.newCall(TestService.FULL_DUPLEX_CALL, options()), c);
    requests.onNext(Ask.status(2, "test status message").encode());
    requests.onCompleted();
    Status duplex = c.awaitStatus();
    assertThat(duplex.getCode()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(duplex.getDescription()).isEqualTo("test status message");
  }

  static void specialStatusMessage(Channel ch) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () ->
        ClientCalls.blockingUnaryCall(ch, TestService.UNARY_CALL, options(), Ask.status(2, SPECIAL_MESSAGE).encode()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(e.getStatus().getDescription()).isEqualTo(SPECIAL_MESSAGE);
  }

  static void unimplementedMethod(Channel ch) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () ->
        ClientCalls.blockingUnaryCall(ch, TestService.UNIMPLEMENTED_CALL, options(), new byte[0]));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  static void unimplementedService(Channel ch) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () ->
        ClientCalls.blockingUnaryCall(ch, TestService.UNIMPLEMENTED_SERVICE_CALL, options(), new byte[0]));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  static void customMetadata(Channel ch) {
    byte[] trailingValue = {(byte) 0xab, (byte) 0xab, (byte) 0xab};
    Metadata sent = new Metadata();
    sent.put(TestService.ECHO_INITIAL, "test_initial_metadata_value");
    sent.put(TestService.ECHO_TRAILING, trailingValue);
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    Channel withMetadata = ClientInterceptors.intercept(ch, MetadataUtils.newAttachHeadersInterceptor(sent),
        MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
    byte[] r = ClientCalls.blockingUnaryCall(withMetadata, TestService.UNARY_CALL, options(),
        Ask.sizes(271828, 314159).encode());
    assertThat(r).hasSize(314159);
    assertThat(headers.get().get(TestService.ECHO_INITIAL)).isEqualTo("test_initial_metadata_value");
    assertThat(trailers.get().get(TestService.ECHO_TRAILING)).isEqualTo(trailingValue);
    headers.set(null);
    trailers.set(null);
    Collector c = new Collector();
    var requests = ClientCalls.asyncBidiStreamingCall(withMetadata.newCall(TestService.FULL_DUPLEX_CALL, options()), c);
    requests.onNext(Ask.sizes(271828, 314159).encode());
    assertThat(c.next()).hasSize(314159);
    requests.onCompleted();
    c.awaitOk();
    assertThat(headers.get().get(TestService.ECHO_INITIAL)).isEqualTo("test_initial_metadata_value");
    assertThat(trailers.get().get(TestService.ECHO_TRAILING)).isEqualTo(trailingValue);
  }

  /**
   * Compression both ways, which grpc-go's interop client has no case for: the request's messages gzip-compressed by
   * the client (the server counts them, see {@link TestService#gzipRequests}), the response's by the server, which
   * says so in its headers.
   */
  static void gzipUnary(Channel ch) {
    AtomicReference<Metadata> headers = new AtomicReference<>();
    byte[] r = ClientCalls.blockingUnaryCall(gzipBothWays(ch, headers), TestService.UNARY_CALL,
        options().withCompression("gzip"), Ask.sizes(271828, 314159).encode());
    assertThat(r).hasSize(314159);
    assertThat(headers.get().get(TestService.GRPC_ENCODING)).isEqualTo("gzip");
  }

  static void gzipStreaming(Channel ch) {
    AtomicReference<Metadata> headers = new AtomicReference<>();
    Collector c = new Collector();
    var requests = ClientCalls.asyncBidiStreamingCall(
        gzipBothWays(ch, headers).newCall(TestService.FULL_DUPLEX_CALL, options().withCompression("gzip")), c);
    for (int i = 0; i < STREAM_SIZES.length; i++) {
      requests.onNext(Ask.sizes(STREAM_PAYLOADS[i], STREAM_SIZES[i]).encode());
      assertThat(c.next()).as("response %d", i).hasSize(STREAM_SIZES[i]);
    }
    requests.onCompleted();
    c.awaitOk();
    assertThat(headers.get().get(TestService.GRPC_ENCODING)).isEqualTo("gzip");
  }

  private static Channel gzipBothWays(Channel ch, AtomicReference<Metadata> responseHeaders) {
    Metadata ask = new Metadata();
    ask.put(TestService.COMPRESS_RESPONSE, "gzip");
    return ClientInterceptors.intercept(ch, MetadataUtils.newAttachHeadersInterceptor(ask),
        MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, new AtomicReference<>()));
  }

  /**
   * Not an interop case, the rule for long-lived streams: a server stream whose second message comes after a pause
   * longer than the proxy's client and server timeouts arrives whole under a route with its own timeout.
   */
  static void quietServerStream(Channel ch, int pauseMillis) {
    Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(ch, TestService.STREAMING_OUTPUT_CALL, options(),
        Ask.sizes(0, 10, 20).pausing(pauseMillis).encode());
    List<Integer> sizes = new ArrayList<>();
    it.forEachRemaining(r -> sizes.add(r.length));
    assertThat(sizes).containsExactly(10, 20);
  }

  private static CallOptions options() {
    return CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** Gathers a call's responses and its final status. */
  static final class Collector implements ClientResponseObserver<byte[], byte[]> {
    final BlockingQueue<byte[]> responses = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> status = new CompletableFuture<>();

    @Override
    public void beforeStart(ClientCallStreamObserver<byte[]> requestStream) {
    }

    @Override
    public void onNext(byte[] value) {
      responses.add(value);
    }

    @Override
    public void onError(Throwable t) {
      status.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      status.complete(Status.OK);
    }

    byte[] next() {
      try {
        byte[] r = responses.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (r == null) {
          throw new AssertionError("no response within " + WAIT_SECONDS + " s; status " + status.getNow(null));
        }
        return r;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    Status awaitStatus() {
      try {
        return status.get(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("the call did not end within " + WAIT_SECONDS + " s", e);
      }
    }

    void awaitOk() {
      Status s = awaitStatus();
      assertThat(s.isOk()).as("status %s", s).isTrue();
    }

    byte[] only() {
      assertThat(responses).hasSize(1);
      return responses.peek();
    }
  }
}
