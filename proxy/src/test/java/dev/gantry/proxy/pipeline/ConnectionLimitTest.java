package dev.gantry.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.proxy.admin.Counter;
import org.junit.jupiter.api.Test;

class ConnectionLimitTest {

  @Test
  void theAutomaticLimitIsHalfTheOpenFileLimitLessTheReserve() {
    assertThat(ConnectionLimit.automatic(20_000)).isEqualTo(9_950);
    assertThat(ConnectionLimit.automatic(1_048_576)).isEqualTo(524_238);
  }

  @Test
  void theAutomaticLimitIsNeverBelowOne() {
    assertThat(ConnectionLimit.automatic(64)).isEqualTo(1);
  }

  @Test
  void anExplicitLimitIsKeptAndANegativeOneIsRefused() {
    assertThat(new ConnectionLimit(7, new Counter()).max()).isEqualTo(7);
    assertThatThrownBy(() -> new ConnectionLimit(-1, new Counter()))
        .hasMessageContaining("0 (automatic) or more, not -1");
  }
}
