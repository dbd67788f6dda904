package dev.gantry.proxy.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIGHUP, the conventional "reload your configuration" signal. */
final class Signals {

  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  private Signals() {
  }

  static void onHangup(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> action.run());
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      LOG.warn("SIGHUP cannot be handled on this platform; the file is still watched for changes");
    }
  }
}
