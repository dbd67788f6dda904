package dev.gantry.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class GantryLogProviderTest {

  @Test
  void slf4jFindsTheProxysProviderThroughItsServiceFile() {
    assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(GantryLoggerFactory.class);
    assertThat(LoggerFactory.getLogger(GantryLogProviderTest.class)).isInstanceOf(GantryLogger.class);
  }
}
