package dev.gantry.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class LineFormatTest {

  static final Instant AT = Instant.parse("2026-11-30T08:45:22.493Z");

  @Test
  void aLineIsTheTimeThePaddedLevelTheLoggersLastNameAndTheMessage() {
    LineFormat format = new LineFormat(Clock.fixed(AT, ZoneOffset.UTC));

    assertThat(format.line(Level.INFO, "dev.gantry.proxy.GantryProxy", "proxy started", null))
        .isEqualTo("2026-11-30T08:45:22.493Z INFO  GantryProxy - proxy started\n");
    assertThat(format.line(Level.ERROR, "Bare", "m", null)).isEqualTo("2026-11-30T08:45:22.493Z ERROR Bare - m\n");
    assertThat(format.line(Level.WARN, "a.b.Outer$Inner", null, null))
        .isEqualTo("2026-11-30T08:45:22.493Z WARN  Outer$Inner - null\n");
  }

  @Test
  void theTimeCarriesTheClocksOffset() {
    LineFormat format = new LineFormat(Clock.fixed(AT, ZoneOffset.ofHours(-5)));

    assertThat(format.line(Level.DEBUG, "x.Pool", "m", null))
        .isEqualTo("2026-11-30T03:45:22.493-05:00 DEBUG Pool - m\n");
  }

  @Test
  void aThrowablesStackTraceFollowsTheLine() {
    LineFormat format = new LineFormat(Clock.fixed(AT, ZoneOffset.UTC));
    IllegalStateException thrown = new IllegalStateException("boom", new IOException("disk"));

    String line = format.line(Level.WARN, "x.Pool", "failed", thrown);

    assertThat(line.lines().toList()).startsWith(
        "2026-11-30T08:45:22.493Z WARN  Pool - failed",
        "java.lang.IllegalStateException: boom");
    assertThat(line.lines().skip(2).findFirst()).hasValueSatisfying(frame -> assertThat(frame)
        .startsWith("\tat dev.gantry.proxy.log.LineFormatTest.aThrowablesStackTraceFollowsTheLine("));
    assertThat(line).contains("\nCaused by: java.io.IOException: disk\n").endsWith("\n");
  }
}
