package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GrpcTimeoutTest {

  @Test
  void everyUnitOfTheSpecIsRead() {
    assertThat(GrpcTimeout.nanos("2H")).isEqualTo(7_200_000_000_000L);
    assertThat(GrpcTimeout.nanos("3M")).isEqualTo(180_000_000_000L);
    assertThat(GrpcTimeout.nanos("5S")).isEqualTo(5_000_000_000L);
    assertThat(GrpcTimeout.nanos("250m")).isEqualTo(250_000_000L);
    assertThat(GrpcTimeout.nanos("100u")).isEqualTo(100_000L);
    assertThat(GrpcTimeout.nanos("99999999n")).isEqualTo(99_999_999L);
  }

  @Test
  void eightDigitsOfHoursAreCappedRatherThanOverflowing() {
    assertThat(GrpcTimeout.nanos("99999999H")).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void malformedValuesAreNoTimeout() {
    for (String bad : new String[] {"", "S", "5", "5s", "5 S", "-5S", "+5S", "123456789S", "5SS", "1.5S", "５S"}) {
      assertThat(GrpcTimeout.nanos(bad)).as(bad).isEqualTo(GrpcTimeout.NONE);
    }
    assertThat(GrpcTimeout.nanos(null)).isEqualTo(GrpcTimeout.NONE);
  }
}
