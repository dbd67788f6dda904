package dev.gantry.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpDecoderConfig;

/**
 * Holds a message head back until all of it has arrived, so that its raw bytes can be checked before the
 * decoder parses (and quietly normalises) them. The search resumes where it stopped, so a head trickling in
 * byte by byte is scanned once, not once per byte.
 */
final class HeadGate {

  static final int INCOMPLETE = -1;

  private final int maxFirstLine;
  private final int maxHead;
  private final int badLine;
  private final int firstLineTooLong;
  private final int headTooLarge;
  /** Bytes after the reader index already searched for the end of the head. */
  private int searched;
  private byte[] checked;

  /** The three statuses are those of a line ending in a bare LF, a first line too long, a head too large. */
  HeadGate(int maxFirstLine, int maxHead, int badLine, int firstLineTooLong, int headTooLarge) {
    this.maxFirstLine = maxFirstLine;
    this.maxHead = maxHead;
    this.badLine = badLine;
    this.firstLineTooLong = firstLineTooLong;
    this.headTooLarge = headTooLarge;
  }

  /**
   * Skips the empty lines a server may ignore before a request line (RFC 9112 2.2), then returns the length of
   * the complete head at the reader index (up to and including its blank line), or {@link #INCOMPLETE}.
   *
   * @throws RejectedHead when the head cannot be a valid one
   */
  private int completeHead(ByteBuf in, boolean skipEmptyLines) {
    if (searched == 0 && skipEmptyLines) {
      while (in.readableBytes() >= 2 && in.getByte(in.readerIndex()) == '\r'
          && in.getByte(in.readerIndex() + 1) == '\n') {
        in.skipBytes(2);
      }
    }
    int start = in.readerIndex();
    int end = in.writerIndex();
    for (int i = in.indexOf(start + searched, end, (byte) '\n'); i >= 0; i = in.indexOf(i + 1, end, (byte) '\n')) {
      if (i == start || in.getByte(i - 1) != '\r') {
        // A bare LF would end the head for a lenient reader and not for a strict one: refused at once.
        throw new RejectedHead(badLine, "a line ends in LF without CR");
      }
      if (i - start >= 3 && in.getByte(i - 2) == '\n') {
        searched = 0;
        return i + 1 - start;
      }
    }
    searched = end - start;
    if (searched > maxHead) {
      throw new RejectedHead(headTooLarge, "head larger than " + maxHead + " bytes");
    }
    if (searched > maxFirstLine && in.indexOf(start, start + maxFirstLine + 1, (byte) '\n') < 0) {
      throw new RejectedHead(firstLineTooLong, "first line longer than " + maxFirstLine + " bytes");
    }
    return INCOMPLETE;
  }

  /**
   * {@link #completeHead}, then, once the head is complete, its raw bytes checked against the grammar of a
   * request head (with the empty lines before it skipped) or of a response head.
   *
   * @return the length of the complete, well-formed head, or {@link #INCOMPLETE}
   * @throws RejectedHead when the head cannot be a valid one, or is not
   */
  int checkedHead(ByteBuf in, boolean request) {
    int length = completeHead(in, request);
    if (length != INCOMPLETE) {
      checked = HeadParser.copy(in, length);
      RejectedHead problem = request ? HeadSyntax.request(checked, 0, length) : HeadSyntax.response(checked, 0, length);
      if (problem != null) {
        throw problem;
      }
    }
    return length;
  }

  /**
   * The bytes of the head {@link #checkedHead} last passed, from index 0: this thread's scratch array, valid
   * until the next head is copied on this thread.
   */
  byte[] checkedBytes() {
    return checked;
  }

  /**
   * The settings for Netty's decoder behind this gate (the one a {@link MessageDecoder} hands the messages with
   * Transfer-Encoding): its heads' headers are made without Netty's check of each name and value, which
   * {@link HeadSyntax#fieldLines} already made on the same bytes. It holds because the decoder only builds a
   * head's headers when it reads a head, and reads one only at a head's start: it is handed a head only after
   * {@link #checkedHead} passed it, with the whole head at the reader index, so it parses exactly the bytes
   * checked. Once a message ends
   * (LastHttpContent) the next head is due again; after a failure the codecs drop everything; after a 101 or
   * in a close-delimited body the decoder reads no more heads. Trailers are not in a head: they stay checked
   * by Netty. Values the proxy itself adds later come from the validated model or are escaped where built.
   */
  static HttpDecoderConfig behindGate(HttpDecoderConfig config) {
    return config.clone().setHeadersFactory(HeadParser.HEADERS);
  }

  void reset() {
    searched = 0;
  }
}
