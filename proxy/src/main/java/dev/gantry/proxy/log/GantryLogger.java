package dev.gantry.proxy.log;

import org.slf4j.Marker;
import org.slf4j.event.EventConstants;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A logger with a fixed threshold: disabled levels cost one int comparison; enabled ones go to the factory. */
final class GantryLogger extends LegacyAbstractLogger {

  private final int threshold;
  private final GantryLoggerFactory factory;

  GantryLogger(String name, int threshold, GantryLoggerFactory factory) {
    this.name = name;
    this.threshold = threshold;
    this.factory = factory;
  }

  @Override
  public boolean isTraceEnabled() {
    return threshold <= EventConstants.TRACE_INT;
  }

  @Override
  public boolean isDebugEnabled() {
    return threshold <= EventConstants.DEBUG_INT;
  }

  @Override
  public boolean isInfoEnabled() {
    return threshold <= EventConstants.INFO_INT;
  }

  @Override
  public boolean isWarnEnabled() {
    return threshold <= EventConstants.WARN_INT;
  }

  @Override
  public boolean isErrorEnabled() {
    return threshold <= EventConstants.ERROR_INT;
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
      Throwable thrown) {
    factory.log(name, level, MessageFormatter.basicArrayFormat(pattern, arguments), thrown);
  }
}
