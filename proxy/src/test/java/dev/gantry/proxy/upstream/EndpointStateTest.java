package dev.gantry.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EndpointStateTest {

  static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  EndpointState state() {
    return new UpstreamRegistry().endpoint("lb", "b", "10.0.0.1:80");
  }

  @Test
  void ejectionsInARowDoubleTheBackOffUpToTheMaximum() {
    EndpointState s = state();
    long now = 1_000 * SECOND;
    long[] expected = {10, 20, 40, 80, 160, 300, 300};
    for (long seconds : expected) {
      PassiveHealth.eject(s, now);
      assertThat(s.ejectedForMillis(now)).isEqualTo(seconds * 1000);
      assertThat(s.available(now)).isFalse();
      // Back right when the time is up, and ejected again soon after.
      now += seconds * SECOND;
      assertThat(s.available(now)).isTrue();
      now += SECOND;
    }
    assertThat(s.ejections()).isEqualTo(expected.length);
  }

  @Test
  void theBackOffStartsOverOnceTheEndpointStayedInLongEnough() {
    EndpointState s = state();
    long now = 1_000 * SECOND;
    PassiveHealth.eject(s, now);
    PassiveHealth.eject(s, now + 11 * SECOND);
    assertThat(s.ejectedForMillis(now + 11 * SECOND)).isEqualTo(20_000);
    // Back at +31 s; still in 2 x 20 s later, so the next ejection is short again.
    long later = now + 31 * SECOND + 41 * SECOND;
    PassiveHealth.eject(s, later);
    assertThat(s.ejectedForMillis(later)).isEqualTo(10_000);
  }

  @Test
  void riseAndFallCountChecksInARow() {
    EndpointState s = state();
    assertThat(s.health()).isEqualTo(EndpointState.Health.UNCHECKED);
    assertThat(s.available(0)).isTrue();
    s.checked(false, 2, 3);
    s.checked(false, 2, 3);
    assertThat(s.health()).isEqualTo(EndpointState.Health.UNCHECKED);
    s.checked(false, 2, 3);
    assertThat(s.health()).isEqualTo(EndpointState.Health.UNHEALTHY);
    assertThat(s.available(0)).isFalse();
    s.checked(true, 2, 3);
    assertThat(s.health()).isEqualTo(EndpointState.Health.UNHEALTHY);
    s.checked(true, 2, 3);
    assertThat(s.health()).isEqualTo(EndpointState.Health.HEALTHY);
  }

  @Test
  void aPassingCheckEndsAnEjection() {
    EndpointState s = state();
    long now = System.nanoTime();
    PassiveHealth.eject(s, now);
    assertThat(s.available(now)).isFalse();
    s.checked(true, 1, 3);
    assertThat(s.available(now)).isTrue();
  }

  @Test
  void slotsAreLimitedAndGivenBack() {
    EndpointState s = state();
    s.setMaxActive(2);
    assertThat(s.tryOpen()).isTrue();
    assertThat(s.tryOpen()).isTrue();
    assertThat(s.tryOpen()).isFalse();
    assertThat(s.hasCapacity()).isFalse();
    s.closed();
    assertThat(s.hasCapacity()).isTrue();
    assertThat(s.tryOpen()).isTrue();
    assertThat(s.active()).isEqualTo(2);
  }

  @Test
  void atMostHalfOfTheEndpointsRoundedDown() {
    assertThat(PassiveHealth.maxEjected(1)).isZero();
    assertThat(PassiveHealth.maxEjected(2)).isEqualTo(1);
    assertThat(PassiveHealth.maxEjected(3)).isEqualTo(1);
    assertThat(PassiveHealth.maxEjected(10)).isEqualTo(5);
  }
}
