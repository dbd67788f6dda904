package dev.gantry.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Balance;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each algorithm's distribution, how it reacts to unusable endpoints, and consistent hashing's stability. */
class BalancerTest {

  record Ep(String label, int weight, EndpointState state) implements BalancedEndpoint {
    Ep withWeight(int w) {
      return new Ep(label, w, state);
    }
  }

  static List<Ep> endpoints(int... weights) {
    List<Ep> out = new ArrayList<>();
    for (int i = 0; i < weights.length; i++) {
      String label = "10.0.0." + (i + 1) + ":80";
      out.add(new Ep(label, weights[i], new UpstreamRegistry().endpoint("lb", "b", label)));
    }
    return out;
  }

  static InetAddress client(int i) {
    try {
      return InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Integer> distribution(Balancer<Ep> balancer, int picks) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < picks; i++) {
      Ep e = balancer.pick(client(i), System.nanoTime());
      counts.merge(e.label(), 1, Integer::sum);
    }
    return counts;
  }

  @ParameterizedTest
  @EnumSource(Balance.class)
  void followsTheWeightsWithinTwoPercentOver10000Picks(Balance balance) {
    List<Ep> eps = endpoints(3, 1, 1, 0);
    Map<String, Integer> d = distribution(Balancer.of(balance, eps), 10_000);
    assertThat(d.get(eps.get(0).label())).isBetween(5800, 6200);
    assertThat(d.get(eps.get(1).label())).isBetween(1800, 2200);
    assertThat(d.get(eps.get(2).label())).isBetween(1800, 2200);
    assertThat(d).doesNotContainKey(eps.get(3).label());
  }

  @Test
  void roundRobinIsSmoothNotBursty() {
    List<Ep> eps = endpoints(5, 1, 1);
    Balancer<Ep> rr = Balancer.of(Balance.RoundRobin, eps);
    StringBuilder order = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      order.append(eps.indexOf(rr.pick(client(0), System.nanoTime())));
    }
    // nginx's smooth weighted round robin: the heavy endpoint is interleaved with the others.
    assertThat(order.toString()).isEqualTo("0010200");
  }

  @ParameterizedTest
  @EnumSource(Balance.class)
  void neverPicksAnUnusableEndpointAndReturnsNullWhenNoneIsLeft(Balance balance) {
    List<Ep> eps = endpoints(1, 1, 1);
    Balancer<Ep> b = Balancer.of(balance, eps);
    long now = System.nanoTime();
    eps.get(1).state().eject(now, 60_000_000_000L, 60_000_000_000L);
    for (int i = 0; i < 1000; i++) {
      assertThat(b.pick(client(i), System.nanoTime())).isNotEqualTo(eps.get(1));
    }
    eps.get(0).state().eject(now, 60_000_000_000L, 60_000_000_000L);
    eps.get(2).state().eject(now, 60_000_000_000L, 60_000_000_000L);
    assertThat(b.pick(client(1), System.nanoTime())).isNull();
  }

  @ParameterizedTest
  @EnumSource(Balance.class)
  void anEndpointAtItsConnectionLimitIsPassedOver(Balance balance) {
    List<Ep> eps = endpoints(1, 1);
    eps.get(0).state().setMaxActive(1);
    assertThat(eps.get(0).state().tryOpen()).isTrue();
    Balancer<Ep> b = Balancer.of(balance, eps);
    for (int i = 0; i < 200; i++) {
      assertThat(b.pick(client(i), System.nanoTime())).isEqualTo(eps.get(1));
    }
  }

  @Test
  void leastConnectionsSendsNewWorkToTheLeastLoadedPerUnitOfWeight() {
    List<Ep> eps = endpoints(2, 1);
    for (int i = 0; i < 4; i++) {
      eps.get(0).state().opened();
    }
    eps.get(1).state().opened();
    Balancer<Ep> lc = Balancer.of(Balance.LeastConnections, eps);
    // 4/2 = 2 against 1/1 = 1: the second endpoint is lighter.
    assertThat(lc.pick(client(0), System.nanoTime())).isEqualTo(eps.get(1));
    eps.get(1).state().opened();
    eps.get(1).state().opened();
    // 4/2 = 2 against 3/1 = 3.
    assertThat(lc.pick(client(0), System.nanoTime())).isEqualTo(eps.get(0));
  }

  @Test
  void sourceHashKeepsEachClientOnOneEndpoint() {
    Balancer<Ep> sh = Balancer.of(Balance.SourceHash, endpoints(1, 1, 1, 1));
    for (int i = 0; i < 500; i++) {
      Ep first = sh.pick(client(i), System.nanoTime());
      for (int j = 0; j < 3; j++) {
        assertThat(sh.pick(client(i), System.nanoTime())).isSameAs(first);
      }
    }
  }

  @Test
  void addingOneOfNEndpointsMovesAboutOneNthOfTheClients() {
    int clients = 20_000;
    for (int n = 3; n <= 9; n += 3) {
      int[] weights = new int[n];
      java.util.Arrays.fill(weights, 1);
      List<Ep> before = endpoints(weights);
      List<Ep> after = new ArrayList<>(before);
      after.add(endpoints(new int[n + 1]).get(n).withWeight(1));
      Balancer<Ep> b1 = Balancer.of(Balance.SourceHash, before);
      Balancer<Ep> b2 = Balancer.of(Balance.SourceHash, after);
      int moved = 0;
      for (int i = 0; i < clients; i++) {
        if (!b1.pick(client(i), 0).label().equals(b2.pick(client(i), 0).label())) {
          moved++;
        }
      }
      double share = (double) moved / clients;
      // Ideal: 1/(n+1), the new endpoint's share. Maglev adds a little disruption on top.
      assertThat(share).as("moved with %d -> %d endpoints", n, n + 1)
          .isBetween(1.0 / (n + 1) - 0.02, 1.0 / (n + 1) + 0.04);
    }
  }

  @Test
  void removingAnEndpointMovesOnlyItsClients() {
    List<Ep> eps = endpoints(1, 1, 1, 1);
    Balancer<Ep> sh = Balancer.of(Balance.SourceHash, eps);
    Map<Integer, String> home = new HashMap<>();
    for (int i = 0; i < 5000; i++) {
      home.put(i, sh.pick(client(i), System.nanoTime()).label());
    }
    eps.get(2).state().eject(System.nanoTime(), 60_000_000_000L, 60_000_000_000L);
    for (int i = 0; i < 5000; i++) {
      String now = sh.pick(client(i), System.nanoTime()).label();
      if (!home.get(i).equals(eps.get(2).label())) {
        assertThat(now).isEqualTo(home.get(i));
      } else {
        assertThat(now).isNotEqualTo(eps.get(2).label());
      }
    }
  }
}
