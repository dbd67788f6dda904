package dev.gantry.proxy.testing;

import dev.gantry.proxy.testing.RawH2.Block;
import dev.gantry.proxy.testing.RawH2.Frame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A gRPC call written frame by frame over a {@link RawH2} connection, to see exactly what the proxy sends back:
 * the request head of a gRPC client ({@code POST}, {@code content-type: application/grpc}, {@code te: trailers})
 * and, unless the stream is to stay open, one empty message ending the stream.
 */
public final class GrpcOverRawH2 {

  /** A gRPC message of zero bytes: not compressed, length 0. */
  public static final byte[] EMPTY_MESSAGE = {0, 0, 0, 0, 0};

  private GrpcOverRawH2() {
  }

  /** Starts a call on {@code stream}; {@code headers} are extra name/value pairs (say grpc-timeout). */
  public static void start(RawH2 c, int stream, String path, boolean endRequest, String... headers) {
    Block b = Block.request("POST", path).add("content-type", "application/grpc").add("te", "trailers");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.add(headers[i], headers[i + 1]);
    }
    try {
      c.write(RawH2.headers(stream, false, b.bytes()));
      if (endRequest) {
        c.write(RawH2.frame(RawH2.DATA, RawH2.END_STREAM, stream, EMPTY_MESSAGE));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The frames of {@code stream} until one ends it (END_STREAM or RST_STREAM), or the connection ends. */
  public static List<Frame> framesOf(RawH2 c, int stream) {
    List<Frame> frames = new ArrayList<>();
    Frame f;
    while ((f = c.read()) != null) {
      if (f.stream() != stream) {
        continue;
      }
      frames.add(f);
      if (f.type() == RawH2.RST_STREAM || (f.flags() & RawH2.END_STREAM) != 0 && f.type() != RawH2.PING) {
        break;
      }
    }
    return frames;
  }
}
