package dev.gantry.operator.testing;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Addresses of this machine that are not loopback, for backends behind EndpointSlices and for the pods the
 * tests stand in for: the API refuses loopback and link-local endpoint addresses. They come from
 * 198.18.1.0/24 (RFC 2544's benchmarking block, which no outside network uses), on a network device of the
 * tests' own that {@link #close()} removes: a Linux bridge without ports, which works as a dummy device
 * does (and exists on kernels built without the dummy driver). Traffic to them never leaves the machine.
 */
public final class LocalAddresses implements AutoCloseable {

  static final String DEVICE = "gantry-test0";
  private static final String PREFIX = "198.18.1.";

  private final Set<String> added = new LinkedHashSet<>();

  private LocalAddresses() {
  }

  static LocalAddresses create() {
    // a device left behind by a test run that was killed goes first
    Commands.result(List.of("ip", "link", "delete", DEVICE), Map.of(), Path.of("."));
    ip("link", "add", DEVICE, "type", "bridge");
    ip("link", "set", DEVICE, "up");
    return new LocalAddresses();
  }

  /** {@code 198.18.1.n}, assigned to the device on first use (n from 1 to 254). */
  public synchronized String address(int n) {
    if (n < 1 || n > 254) {
      throw new IllegalArgumentException("expected 1 to 254, got " + n);
    }
    String address = PREFIX + n;
    if (added.add(address)) {
      ip("address", "add", address + "/32", "dev", DEVICE);
    }
    return address;
  }

  private static void ip(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Commands.Result r = Commands.result(command, Map.of(), Path.of("."));
    if (r.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (the tests make a network device "
          + "of their own, which needs root or CAP_NET_ADMIN): " + r.output().strip());
    }
  }

  @Override
  public void close() {
    Commands.result(List.of("ip", "link", "delete", DEVICE), Map.of(), Path.of("."));
  }
}
