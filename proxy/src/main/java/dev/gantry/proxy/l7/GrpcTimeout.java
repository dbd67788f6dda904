package dev.gantry.proxy.l7;

/**
 * The {@code grpc-timeout} request header (gRPC over HTTP/2): {@code TimeoutValue TimeoutUnit}, a positive
 * integer of at most 8 digits and one of {@code H M S m u n}. Parsed in place, without allocation.
 */
final class GrpcTimeout {

  /** What {@link #nanos} answers for a missing or malformed value. */
  static final long NONE = -1;

  private GrpcTimeout() {
  }

  /**
   * The timeout in nanoseconds, or {@link #NONE} when {@code value} is null or not of the grammar above (the
   * header is then passed on as it is and sets no deadline here: the gRPC server judges it).
   */
  static long nanos(CharSequence value) {
    if (value == null) {
      return NONE;
    }
    int n = value.length();
    if (n < 2 || n > 9) {
      return NONE;
    }
    long amount = 0;
    for (int i = 0; i < n - 1; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return NONE;
      }
      amount = amount * 10 + (c - '0');
    }
    long unitNanos = switch (value.charAt(n - 1)) {
      case 'H' -> 3_600_000_000_000L;
      case 'M' -> 60_000_000_000L;
      case 'S' -> 1_000_000_000L;
      case 'm' -> 1_000_000L;
      case 'u' -> 1_000L;
      case 'n' -> 1L;
      default -> 0;
    };
    // 8 digits of hours overflow a long of nanoseconds: such a deadline is as good as none, and is capped.
    return unitNanos == 0 ? NONE : amount > Long.MAX_VALUE / unitNanos ? Long.MAX_VALUE : amount * unitNanos;
  }
}
