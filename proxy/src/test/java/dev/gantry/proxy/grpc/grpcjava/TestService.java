package dev.gantry.proxy.grpc.grpcjava;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gRPC server in the shape of the interop suite's {@code grpc.testing.TestService}: the same service and
 * method names and call kinds, with {@link Ask} messages. It echoes the interop metadata
 * ({@code x-grpc-test-echo-initial} in the headers, {@code x-grpc-test-echo-trailing-bin} in the trailers) and
 * counts calls a client cancelled, so a test sees a cancel cross the proxy.
 */
final class TestService implements AutoCloseable {

  static final String SERVICE = "grpc.testing.TestService";
  static final MethodDescriptor<byte[], byte[]> EMPTY_CALL = method("EmptyCall", MethodType.UNARY);
  static final MethodDescriptor<byte[], byte[]> UNARY_CALL = method("UnaryCall", MethodType.UNARY);
  static final MethodDescriptor<byte[], byte[]> STREAMING_OUTPUT_CALL =
      method("StreamingOutputCall", MethodType.SERVER_STREAMING);
  static final MethodDescriptor<byte[], byte[]> STREAMING_INPUT_CALL =
      method("StreamingInputCall", MethodType.CLIENT_STREAMING);
  static final MethodDescriptor<byte[], byte[]> FULL_DUPLEX_CALL = method("FullDuplexCall", MethodType.BIDI_STREAMING);
  /** Declared by the interop service, implemented by no server. */
  static final MethodDescriptor<byte[], byte[]> UNIMPLEMENTED_CALL = method("UnimplementedCall", MethodType.UNARY);
  static final MethodDescriptor<byte[], byte[]> UNIMPLEMENTED_SERVICE_CALL = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodType.UNARY).setFullMethodName("grpc.testing.UnimplementedService/UnimplementedCall")
      .setRequestMarshaller(Ask.BYTES).setResponseMarshaller(Ask.BYTES).build();

  static final Metadata.Key<String> ECHO_INITIAL =
      Metadata.Key.of("x-grpc-test-echo-initial", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<byte[]> ECHO_TRAILING =
      Metadata.Key.of("x-grpc-test-echo-trailing-bin", Metadata.BINARY_BYTE_MARSHALLER);
  /** Asks the server to compress its messages with the named compressor ({@code gzip}). */
  static final Metadata.Key<String> COMPRESS_RESPONSE =
      Metadata.Key.of("x-test-compress-response", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> GRPC_ENCODING = Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);

  private final Server server;
  private final ScheduledExecutorService pauses = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "test-service-pauses");
    t.setDaemon(true);
    return t;
  });
  final AtomicInteger cancelled = new AtomicInteger();
  /** EmptyCalls answered, so a test sees which server a call reached. */
  final AtomicInteger emptyCalls = new AtomicInteger();
  /** Calls whose request messages came gzip-compressed ({@code grpc-encoding: gzip}), decompressed by the server. */
  final AtomicInteger gzipRequests = new AtomicInteger();

  private TestService(int port, Path certificate, Path key) {
    NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .addService(ServerInterceptors.intercept(definition(), new EchoMetadata(), new Compression()));
    try {
      if (certificate != null) {
        b.sslContext(GrpcSslContexts.forServer(certificate.toFile(), key.toFile()).build());
      }
      server = b.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server speaking h2c (HTTP/2 in clear text, prior knowledge). */
  static TestService cleartext() {
    return cleartext(0);
  }

  /** The same on a given port (0: any free one). */
  static TestService cleartext(int port) {
    return new TestService(port, null, null);
  }

  /** A server speaking h2 over TLS with this certificate chain and PKCS#8 key. */
  static TestService tls(Path certificate, Path key) {
    return new TestService(0, certificate, key);
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    pauses.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static MethodDescriptor<byte[], byte[]> method(String name, MethodType type) {
    return MethodDescriptor.<byte[], byte[]>newBuilder().setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(Ask.BYTES).setResponseMarshaller(Ask.BYTES).build();
  }

  private ServerServiceDefinition definition() {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(EMPTY_CALL, ServerCalls.asyncUnaryCall((byte[] req, StreamObserver<byte[]> out) -> {
          emptyCalls.incrementAndGet();
          out.onNext(new byte[0]);
          out.onCompleted();
        }))
        .addMethod(UNARY_CALL, ServerCalls.asyncUnaryCall((byte[] req, StreamObserver<byte[]> out) -> {
          Ask ask = Ask.decode(req);
          if (ask.statusCode() != 0) {
            out.onError(Status.fromCodeValue(ask.statusCode()).withDescription(ask.statusMessage()).asException());
            return;
          }
          out.onNext(new byte[ask.responseSizes().length == 0 ? 0 : ask.responseSizes()[0]]);
          out.onCompleted();
        }))
        .addMethod(STREAMING_OUTPUT_CALL, ServerCalls.asyncServerStreamingCall((byte[] req, StreamObserver<byte[]> out) -> {
          watchCancel(out);
          respond(Ask.decode(req), 0, out, true);
        }))
        .addMethod(STREAMING_INPUT_CALL, ServerCalls.asyncClientStreamingCall((StreamObserver<byte[]> out) -> {
          watchCancel(out);
          return new StreamObserver<byte[]>() {
            private int total;

            @Override
            public void onNext(byte[] req) {
              total += Ask.decode(req).payloadSize();
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
              out.onNext(ByteBuffer.allocate(4).putInt(total).array());
              out.onCompleted();
            }
          };
        }))
        .addMethod(FULL_DUPLEX_CALL, ServerCalls.asyncBidiStreamingCall((StreamObserver<byte[]> out) -> {
          watchCancel(out);
          return new StreamObserver<byte[]>() {
            @Override
            public void onNext(byte[] req) {
              Ask ask = Ask.decode(req);
              if (ask.statusCode() != 0) {
                out.onError(Status.fromCodeValue(ask.statusCode()).withDescription(ask.statusMessage()).asException());
                return;
              }
              respond(ask, 0, out, false);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
              out.onCompleted();
            }
          };
        }))
        .build();
  }

  private void watchCancel(StreamObserver<byte[]> out) {
    ((ServerCallStreamObserver<byte[]>) out).setOnCancelHandler(cancelled::incrementAndGet);
  }

  /** Sends the asked responses from the {@code i}th on, each after the asked pause; completes when {@code end}. */
  private void respond(Ask ask, int i, StreamObserver<byte[]> out, boolean end) {
    if (i == ask.responseSizes().length) {
      if (end) {
        out.onCompleted();
      }
      return;
    }
    Runnable next = () -> {
      if (((ServerCallStreamObserver<byte[]>) out).isCancelled()) {
        return;
      }
      out.onNext(new byte[ask.responseSizes()[i]]);
      respond(ask, i + 1, out, end);
    };
    if (ask.pauseMillis() > 0) {
      pauses.schedule(next, ask.pauseMillis(), TimeUnit.MILLISECONDS);
    } else {
      next.run();
    }
  }

  /** Echoes the interop metadata back: the initial value in the headers, the trailing one in the trailers. */
  private static final class EchoMetadata implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      String initial = headers.get(ECHO_INITIAL);
      byte[] trailing = headers.get(ECHO_TRAILING);
      return next.startCall(new SimpleForwardingServerCall<>(call) {
        @Override
        public void sendHeaders(Metadata responseHeaders) {
          if (initial != null) {
            responseHeaders.put(ECHO_INITIAL, initial);
          }
          super.sendHeaders(responseHeaders);
        }

        @Override
        public void close(Status status, Metadata trailers) {
          if (trailing != null) {
            trailers.put(ECHO_TRAILING, trailing);
          }
          super.close(status, trailers);
        }
      }, headers);
    }
  }

  /** Counts gzip-compressed requests, and compresses the responses of the calls that ask for it. */
  private final class Compression implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      if ("gzip".equals(headers.get(GRPC_ENCODING))) {
        gzipRequests.incrementAndGet();
      }
      String compressor = headers.get(COMPRESS_RESPONSE);
      if (compressor != null) {
        call.setCompression(compressor);
        call.setMessageCompression(true);
      }
      return next.startCall(call, headers);
    }
  }
}
