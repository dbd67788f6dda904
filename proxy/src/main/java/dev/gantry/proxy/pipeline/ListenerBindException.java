package dev.gantry.proxy.pipeline;

/** A configured port could not be bound. */
public final class ListenerBindException extends Exception {

  public ListenerBindException(String message, Throwable cause) {
    super(message, cause);
  }
}
