package dev.gantry.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/** The provider's loggers end to end: levels from the environment, SLF4J's placeholders, lines on the output. */
class GantryLoggerFactoryTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T08:45:22.493Z"), ZoneOffset.UTC);

  final ByteArrayOutputStream out = new ByteArrayOutputStream();

  GantryLoggerFactory loggers(String level) {
    return GantryLoggerFactory.start(name -> name.equals("GANTRY_LOG_LEVEL") ? level : null, CLOCK, out,
        LogQueue.CAPACITY);
  }

  String written(GantryLoggerFactory loggers) {
    assertThat(loggers.flush(Duration.ofSeconds(10))).isTrue();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void placeholdersAreFilledAndATrailingThrowableIsPrintedAfterTheLine() {
    GantryLoggerFactory loggers = loggers(null);
    Logger log = loggers.getLogger("dev.gantry.proxy.upstream.Pool");

    log.info("backend {} of {} ejected", "web-1", "shop/web");
    log.warn("backend {} failed after {} ms", "web-2", 12, new IOException("reset"));

    List<String> lines = written(loggers).lines().toList();
    assertThat(lines).startsWith(
        "2026-11-30T08:45:22.493Z INFO  Pool - backend web-1 of shop/web ejected",
        "2026-11-30T08:45:22.493Z WARN  Pool - backend web-2 failed after 12 ms",
        "java.io.IOException: reset");
    assertThat(lines.get(3)).startsWith("\tat ");
  }

  @Test
  void theEnvironmentsLevelDecidesWhatIsLogged() {
    GantryLoggerFactory loggers = loggers("WARN");
    Logger log = loggers.getLogger("dev.gantry.proxy.GantryProxy");

    log.info("not this");
    log.warn("this");
    log.error("and this");

    assertThat(log.isInfoEnabled()).isFalse();
    assertThat(log.isWarnEnabled()).isTrue();
    assertThat(written(loggers)).isEqualTo("2026-11-30T08:45:22.493Z WARN  GantryProxy - this\n"
        + "2026-11-30T08:45:22.493Z ERROR GantryProxy - and this\n");
  }

  @Test
  void traceEnablesEveryLevel() {
    Logger log = loggers("trace").getLogger("dev.gantry.proxy.GantryProxy");

    assertThat(log.isTraceEnabled()).isTrue();
    assertThat(log.isDebugEnabled()).isTrue();
  }

  @Test
  void anUnknownLevelLogsAtInfoAfterOneWarningNamingIt() {
    GantryLoggerFactory loggers = loggers("LOUD");
    Logger log = loggers.getLogger("dev.gantry.proxy.GantryProxy");

    log.debug("not this");
    log.info("proxy started");

    assertThat(written(loggers)).isEqualTo("2026-11-30T08:45:22.493Z WARN  LogLevels - GANTRY_LOG_LEVEL \"LOUD\" is "
        + "not a log level (TRACE, DEBUG, INFO, WARN or ERROR): logging at INFO\n"
        + "2026-11-30T08:45:22.493Z INFO  GantryProxy - proxy started\n");
  }

  @Test
  void nettyLogsWarningsOnlyEvenAtDebug() {
    GantryLoggerFactory loggers = loggers("DEBUG");
    Logger netty = loggers.getLogger("io.netty.channel.DefaultChannelPipeline");

    netty.info("not this");
    netty.warn("this");
    loggers.getLogger("dev.gantry.proxy.GantryProxy").debug("and this");

    assertThat(netty.isInfoEnabled()).isFalse();
    assertThat(written(loggers)).isEqualTo("2026-11-30T08:45:22.493Z WARN  DefaultChannelPipeline - this\n"
        + "2026-11-30T08:45:22.493Z DEBUG GantryProxy - and this\n");
  }

  @Test
  void aTapSeesEachLoggedEventUntilRemoved() {
    GantryLoggerFactory loggers = loggers(null);
    Logger log = loggers.getLogger("dev.gantry.proxy.tls.BackendTls");
    List<LogEvent> seen = new ArrayList<>();
    Consumer<LogEvent> tap = seen::add;

    loggers.addTap(tap);
    log.debug("below the level: not seen");
    log.warn("backend {}: certificates are NOT verified", "secure");
    loggers.removeTap(tap);
    log.warn("after removal: not seen");

    assertThat(seen).containsExactly(new LogEvent("dev.gantry.proxy.tls.BackendTls", Level.WARN,
        "backend secure: certificates are NOT verified", null));
  }
}
