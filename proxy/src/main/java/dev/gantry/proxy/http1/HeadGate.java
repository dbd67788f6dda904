package dev.gantry.proxy.http1;

import io.netty.buffer.ByteBuf;

/**
 * Holds a message head back until all of it has arrived, so that its raw bytes can be checked before the
 * decoder parses (and quietly normalises) them. The search resumes where it stopped, so a head trickling in
 * byte by byte is scanned once, not once per byte.
 */
final class HeadGate {

  static final int INCOMPLETE = -1;

  private final int maxFirstLine;
  private final int maxHead;
  /** Bytes after the reader index already searched for the end of the head. */
  private int searched;

  HeadGate(int maxFirstLine, int maxHead) {
    this.maxFirstLine = maxFirstLine;
    this.maxHead = maxHead;
  }

  /**
   * Skips the empty lines a server may ignore before a request line (RFC 9112 2.2), then returns the length of
   * the complete head at the reader index (up to and including its blank line), or {@link #INCOMPLETE}.
   *
   * @throws RejectedHead when the first line or the head is longer than allowed
   */
  int completeHead(ByteBuf in, boolean skipEmptyLines, int lineTooLong, int headTooLarge) {
    if (searched == 0 && skipEmptyLines) {
      while (in.readableBytes() >= 2 && in.getByte(in.readerIndex()) == '\r'
          && in.getByte(in.readerIndex() + 1) == '\n') {
        in.skipBytes(2);
      }
    }
    int start = in.readerIndex();
    int end = in.writerIndex();
    int from = start + Math.max(0, searched - 3);
    for (int i = from; i + 3 < end; i++) {
      if (in.getByte(i + 3) == '\n' && in.getByte(i + 2) == '\r' && in.getByte(i + 1) == '\n'
          && in.getByte(i) == '\r') {
        searched = 0;
        return i + 4 - start;
      }
    }
    searched = end - start;
    if (searched > maxHead) {
      throw new RejectedHead(headTooLarge, "head larger than " + maxHead + " bytes");
    }
    if (searched > maxFirstLine && in.indexOf(start, start + maxFirstLine + 1, (byte) '\n') < 0) {
      throw new RejectedHead(lineTooLong, "first line longer than " + maxFirstLine + " bytes");
    }
    return INCOMPLETE;
  }

  void reset() {
    searched = 0;
  }
}
