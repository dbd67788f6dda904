package dev.gantry.proxy.log;

import java.time.Clock;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The proxy's SLF4J provider (named in {@code META-INF/services}): operational log lines on stderr, written
 * by a thread of their own so that an event loop never waits for them; stdout is the access log's.
 */
public final class GantryLogProvider implements SLF4JServiceProvider {

  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();
  private GantryLoggerFactory loggers;

  @Override
  public void initialize() {
    loggers = GantryLoggerFactory.start(System::getenv, Clock.systemDefaultZone(), System.err, LogQueue.CAPACITY);
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }
}
