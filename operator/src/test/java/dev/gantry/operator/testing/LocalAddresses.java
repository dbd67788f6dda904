package dev.gantry.operator.testing;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Addresses of this machine that are not loopback, for backends behind EndpointSlices and for the pods the
 * tests stand in for: the API refuses loopback and link-local endpoint addresses. They come from
 * 198.18.1.0/24 (RFC 2544's benchmarking block, which no outside network uses), on a network device of the
 * tests' own that {@link #close()} removes: a Linux bridge without ports, which works as a dummy device
 * does (and exists on kernels built without the dummy driver). Traffic to them never leaves the machine.
 */
public final class LocalAddresses implements AutoCloseable {

  /** Devices are named after the test JVM's PID, so that test runs side by side keep out of each other's way. */
  private static final String DEVICE_PREFIX = "gtest";
  private static final String PREFIX = "198.18.1.";

  private final String device;
  private final Set<String> added = new LinkedHashSet<>();

  private LocalAddresses(String device) {
    this.device = device;
  }

  public static LocalAddresses create() {
    removeLeftovers();
    String device = DEVICE_PREFIX + ProcessHandle.current().pid();
    ip("link", "add", device, "type", "bridge");
    ip("link", "set", device, "up");
    return new LocalAddresses(device);
  }

  /** Devices of test runs that were killed before they could remove theirs. */
  private static void removeLeftovers() {
    String links = Commands.result(List.of("ip", "-o", "link", "show"), Map.of(), Path.of(".")).output();
    Matcher m = Pattern.compile("^\\d+: (" + DEVICE_PREFIX + "(\\d+))[:@]", Pattern.MULTILINE).matcher(links);
    while (m.find()) {
      if (ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty()) {
        Commands.result(List.of("ip", "link", "delete", m.group(1)), Map.of(), Path.of("."));
      }
    }
  }

  /** {@code 198.18.1.n}, assigned to the device on first use (n from 1 to 254). */
  public synchronized String address(int n) {
    if (n < 1 || n > 254) {
      throw new IllegalArgumentException("expected 1 to 254, got " + n);
    }
    String address = PREFIX + n;
    if (added.add(address)) {
      ip("address", "add", address + "/32", "dev", device);
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
    Commands.result(List.of("ip", "link", "delete", device), Map.of(), Path.of("."));
  }
}
