package dev.gantry.proxy.l7;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.logging.LogLevel;

/**
 * The stream-state rules of RFC 9113 §5.1 for a HEADERS frame, where the codec answers more leniently: HEADERS
 * on a stream the client already ended is a stream error STREAM_CLOSED (the codec says PROTOCOL_ERROR); HEADERS
 * on a stream that has closed is a connection error STREAM_CLOSED, and on a stream id the client skipped a
 * connection error PROTOCOL_ERROR (the codec only resets that stream). A stream the proxy reset itself is
 * exempt: HEADERS (trailers) the client sent before it saw the reset are left to the codec, which ignores them.
 *
 * <p>It sees each frame after it is read and its header block decoded, before the codec acts on it, through the
 * codec's frame-logger hook: the one place that sees every frame first. One instance per connection.
 */
final class Http2StreamStateCheck extends Http2FrameLogger {

  /** How many of the streams the proxy reset itself are remembered (their in-flight frames are exempt). */
  private static final int REMEMBERED_RESETS = 16;

  private int highestStreamId;
  /** The latest run of stream ids the client skipped over, {@code skippedFrom..skippedTo}; empty when from > to. */
  private int skippedFrom = 1;
  private int skippedTo = -1;
  private final int[] resetByProxy = new int[REMEMBERED_RESETS];
  private int resetCursor;

  Http2StreamStateCheck() {
    // Frames are logged at TRACE (under this class's name) like by the plain frame logger.
    super(LogLevel.TRACE, Http2StreamStateCheck.class);
  }

  @Override
  public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
      int padding, boolean endStream) {
    super.logHeaders(direction, ctx, streamId, headers, padding, endStream);
    if (direction == Direction.INBOUND) {
      check(ctx, streamId);
    }
  }

  @Override
  public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
      int streamDependency, short weight, boolean exclusive, int padding, boolean endStream) {
    super.logHeaders(direction, ctx, streamId, headers, streamDependency, weight, exclusive, padding, endStream);
    if (direction == Direction.INBOUND) {
      check(ctx, streamId);
    }
  }

  @Override
  public void logRstStream(Direction direction, ChannelHandlerContext ctx, int streamId, long errorCode) {
    super.logRstStream(direction, ctx, streamId, errorCode);
    if (direction == Direction.OUTBOUND) {
      resetByProxy[resetCursor] = streamId;
      resetCursor = (resetCursor + 1) % REMEMBERED_RESETS;
    }
  }

  private void check(ChannelHandlerContext ctx, int streamId) {
    if ((streamId & 1) == 0) {
      return; // not a client stream: the codec's own error
    }
    Http2Connection connection = ((Http2ConnectionHandler) ctx.handler()).connection();
    if (connection.goAwaySent()) {
      return; // the codec ignores new streams from now on
    }
    Http2Stream stream = connection.stream(streamId);
    if (stream != null) {
      Http2Stream.State state = stream.state();
      if ((state == Http2Stream.State.HALF_CLOSED_REMOTE || state == Http2Stream.State.CLOSED)
          && !stream.isResetSent()) {
        throw raise(Http2Exception.streamError(streamId, Http2Error.STREAM_CLOSED,
            "HEADERS on stream %d after its END_STREAM", streamId));
      }
      return;
    }
    if (streamId > highestStreamId) {
      if (streamId > highestStreamId + 2) {
        skippedFrom = highestStreamId + (highestStreamId == 0 ? 1 : 2);
        skippedTo = streamId - 2;
      }
      highestStreamId = streamId;
      return;
    }
    if (streamId >= skippedFrom && streamId <= skippedTo) {
      throw raise(Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR,
          "stream %d opened after stream %d", streamId, highestStreamId));
    }
    if (!wasResetByProxy(streamId)) {
      throw raise(Http2Exception.connectionError(Http2Error.STREAM_CLOSED,
          "HEADERS on closed stream %d", streamId));
    }
  }

  private boolean wasResetByProxy(int streamId) {
    for (int id : resetByProxy) {
      if (id == streamId) {
        return true;
      }
    }
    return false;
  }

  /**
   * Throws the checked HTTP/2 error through the logger's signature, which declares none: the codec catches it
   * where it reads the frame and answers it like one of its own (RST_STREAM or GOAWAY with its code).
   */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException raise(Throwable error) throws T {
    throw (T) error;
  }
}
