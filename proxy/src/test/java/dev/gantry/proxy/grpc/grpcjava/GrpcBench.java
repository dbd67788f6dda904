package dev.gantry.proxy.grpc.grpcjava;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load of {@code bench/grpc.sh}, over h2c with grpc-java: {@code server PORT} runs the {@link TestService};
 * {@code load HOST:PORT AUTHORITY MODE CONCURRENCY SECONDS} drives it (after a warm-up of up to 5 s) and prints
 * one line:
 * {@code MODE ops/s MiB/s p50 p90 p99 (µs) errors}. Modes: {@code unary} (100-byte request and response,
 * CONCURRENCY calls in flight on one connection), {@code stream} (CONCURRENCY server streams of 1 KiB messages:
 * ops are messages, no latency), {@code pingpong} (CONCURRENCY bidirectional streams, one 100-byte message
 * each way per round trip: ops are round trips).
 */
public final class GrpcBench {

  private static final int SMALL = 100;
  private static final int STREAM_MESSAGE = 1024;
  private static final int MESSAGES_PER_STREAM = 1000;

  private GrpcBench() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("server")) {
      TestService s = TestService.cleartext(Integer.parseInt(args[1]));
      System.out.println("listening on " + s.port());
      Thread.currentThread().join();
    } else if (args.length == 6 && args[0].equals("load")) {
      String[] hostPort = args[1].split(":");
      ManagedChannel ch = NettyChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1]))
          .overrideAuthority(args[2]).usePlaintext().flowControlWindow(1 << 20).build();
      try {
        System.out.println(new Load(ch, args[3], Integer.parseInt(args[4])).run(Integer.parseInt(args[5])));
      } finally {
        ch.shutdownNow();
      }
    } else {
      System.err.println("usage: server PORT | load HOST:PORT AUTHORITY unary|stream|pingpong CONCURRENCY SECONDS");
      System.exit(2);
    }
  }

  /** One measured run: workers keep their calls going until the end; latencies recorded after a warm-up. */
  private static final class Load {
    private final ManagedChannel ch;
    private final String mode;
    private final int concurrency;
    private final AtomicLong ops = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Latencies latencies = new Latencies();
    private volatile boolean measuring;
    private volatile boolean stopping;

    Load(ManagedChannel ch, String mode, int concurrency) {
      this.ch = ch;
      this.mode = mode;
      this.concurrency = concurrency;
    }

    String run(int seconds) throws InterruptedException {
      CountDownLatch done = new CountDownLatch(concurrency);
      for (int i = 0; i < concurrency; i++) {
        switch (mode) {
          case "unary" -> unary(done);
          case "stream" -> stream(done);
          case "pingpong" -> pingPong(done);
          default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
      }
      // Warm-up (the JIT of client, proxy and server), not counted.
      Thread.sleep(Math.min(5, seconds) * 1000L);
      ops.set(0);
      bytes.set(0);
      measuring = true;
      long start = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      long elapsed = System.nanoTime() - start;
      long n = ops.get();
      long b = bytes.get();
      measuring = false;
      stopping = true;
      done.await(10, TimeUnit.SECONDS);
      double secs = elapsed / 1e9;
      return String.format("%s %.0f %.1f %s %d", mode, n / secs, b / secs / (1 << 20),
          mode.equals("stream") ? "- - -" : latencies.percentiles(), errors.get());
    }

    private void unary(CountDownLatch done) {
      byte[] req = Ask.sizes(SMALL, SMALL).encode();
      Runnable[] next = new Runnable[1];
      next[0] = () -> {
        if (stopping) {
          done.countDown();
          return;
        }
        long t0 = System.nanoTime();
        ClientCalls.asyncUnaryCall(ch.newCall(TestService.UNARY_CALL, CallOptions.DEFAULT), req,
            new StreamObserver<>() {
              @Override
              public void onNext(byte[] value) {
                count(value.length + req.length, t0);
              }

              @Override
              public void onError(Throwable t) {
                errors.incrementAndGet();
                next[0].run();
              }

              @Override
              public void onCompleted() {
                next[0].run();
              }
            });
      };
      next[0].run();
    }

    private void stream(CountDownLatch done) {
      int[] sizes = new int[MESSAGES_PER_STREAM];
      Arrays.fill(sizes, STREAM_MESSAGE);
      byte[] req = Ask.sizes(0, sizes).encode();
      Runnable[] next = new Runnable[1];
      next[0] = () -> {
        if (stopping) {
          done.countDown();
          return;
        }
        ClientCalls.asyncServerStreamingCall(ch.newCall(TestService.STREAMING_OUTPUT_CALL, CallOptions.DEFAULT), req,
            new StreamObserver<>() {
              @Override
              public void onNext(byte[] value) {
                if (measuring) {
                  ops.incrementAndGet();
                  bytes.addAndGet(value.length);
                }
              }

              @Override
              public void onError(Throwable t) {
                errors.incrementAndGet();
                next[0].run();
              }

              @Override
              public void onCompleted() {
                next[0].run();
              }
            });
      };
      next[0].run();
    }

    private void pingPong(CountDownLatch done) {
      PingPong p = new PingPong(done);
      ClientCalls.asyncBidiStreamingCall(ch.newCall(TestService.FULL_DUPLEX_CALL, CallOptions.DEFAULT), p);
      p.send();
    }

    /** One bidirectional stream: the next message goes when the answer to the last one came. */
    private final class PingPong implements ClientResponseObserver<byte[], byte[]> {
      private final byte[] req = Ask.sizes(SMALL, SMALL).encode();
      private final CountDownLatch done;
      private ClientCallStreamObserver<byte[]> requests;
      private long sentAt;

      PingPong(CountDownLatch done) {
        this.done = done;
      }

      @Override
      public void beforeStart(ClientCallStreamObserver<byte[]> requestStream) {
        requests = requestStream;
      }

      void send() {
        sentAt = System.nanoTime();
        requests.onNext(req);
      }

      @Override
      public void onNext(byte[] value) {
        count(value.length + req.length, sentAt);
        if (stopping) {
          requests.onCompleted();
        } else {
          send();
        }
      }

      @Override
      public void onError(Throwable t) {
        errors.incrementAndGet();
        done.countDown();
      }

      @Override
      public void onCompleted() {
        done.countDown();
      }
    }

    private void count(long n, long t0) {
      if (measuring) {
        ops.incrementAndGet();
        bytes.addAndGet(n);
        latencies.add((System.nanoTime() - t0) / 1000);
      }
    }
  }

  /** Latencies in microseconds, kept in a growing array (one run's worth), sorted once at the end. */
  private static final class Latencies {
    private long[] values = new long[1 << 20];
    private int size;

    synchronized void add(long micros) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = micros;
    }

    synchronized String percentiles() {
      if (size == 0) {
        return "- - -";
      }
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      return sorted[size / 2] + " " + sorted[(int) (size * 0.9)] + " " + sorted[Math.min(size - 1, (int) (size * 0.99))];
    }
  }
}
