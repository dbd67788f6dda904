package dev.gantry.proxy.http1;

/**
 * Why a message head was refused before it was decoded, and the status the client gets for it. Carried as the
 * cause of a failed decoder result, like the decoder's own parse errors.
 */
public final class RejectedHead extends IllegalArgumentException {

  private final int status;

  public RejectedHead(int status, String reason) {
    super(reason, null);
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** Refusals are answers to clients, not bugs: no stack trace to fill in. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
