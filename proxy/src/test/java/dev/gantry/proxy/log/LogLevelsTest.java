package dev.gantry.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class LogLevelsTest {

  static LogLevels with(String value) {
    return LogLevels.from(name -> name.equals("GANTRY_LOG_LEVEL") ? value : null);
  }

  @Test
  void withoutTheVariableOrWithItEmptyTheLevelIsInfo() {
    assertThat(LogLevels.from(Map.<String, String>of()::get)).isEqualTo(new LogLevels(Level.INFO, null));
    assertThat(with("")).isEqualTo(new LogLevels(Level.INFO, null));
    assertThat(with("  ")).isEqualTo(new LogLevels(Level.INFO, null));
  }

  @Test
  void theVariableNamesTheRootLevelInAnyCase() {
    assertThat(with("TRACE").root()).isEqualTo(Level.TRACE);
    assertThat(with("debug").root()).isEqualTo(Level.DEBUG);
    assertThat(with("Info").root()).isEqualTo(Level.INFO);
    assertThat(with(" WARN ").root()).isEqualTo(Level.WARN);
    assertThat(with("ERROR")).isEqualTo(new LogLevels(Level.ERROR, null));
    assertThat(with("debug").thresholdFor("dev.gantry.proxy.GantryProxy")).isEqualTo(Level.DEBUG.toInt());
  }

  @Test
  void anUnknownValueIsInfoAndAProblemNamingIt() {
    LogLevels levels = with("LOUD");

    assertThat(levels.root()).isEqualTo(Level.INFO);
    assertThat(levels.problem())
        .isEqualTo("GANTRY_LOG_LEVEL \"LOUD\" is not a log level (TRACE, DEBUG, INFO, WARN or ERROR): logging at INFO");
  }

  @Test
  void nettysLoggersAreAtWarnUnlessTheRootIsQuieter() {
    LogLevels debug = with("DEBUG");
    assertThat(debug.thresholdFor("io.netty.channel.DefaultChannelPipeline")).isEqualTo(Level.WARN.toInt());
    assertThat(debug.thresholdFor("io.netty")).isEqualTo(Level.WARN.toInt());
    assertThat(debug.thresholdFor("io.nettyish.Thing")).isEqualTo(Level.DEBUG.toInt());
    assertThat(debug.thresholdFor("dev.gantry.io.netty.Thing")).isEqualTo(Level.DEBUG.toInt());

    assertThat(with("ERROR").thresholdFor("io.netty.util.ResourceLeakDetector")).isEqualTo(Level.ERROR.toInt());
  }
}
