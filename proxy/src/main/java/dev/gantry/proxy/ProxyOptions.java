package dev.gantry.proxy;

/**
 * How the proxy process runs, independent of what it serves.
 *
 * @param bindAddress address every listener binds to
 * @param adminAddress address of the admin port
 * @param adminPort admin port; 0 picks a free one, -1 disables it
 * @param threads event loop threads; 0 means one per available processor
 * @param transport {@code auto}, {@code epoll} or {@code nio}
 * @param maxConnections the most client connections open at once, over every listener; 0 derives it from the
 *     open-file limit (see {@code ConnectionLimit})
 */
public record ProxyOptions(String bindAddress, String adminAddress, int adminPort, int threads, String transport,
    int maxConnections) {

  public static final int DEFAULT_ADMIN_PORT = 8404;

  /** Options with the connection limit derived from the open-file limit. */
  public ProxyOptions(String bindAddress, String adminAddress, int adminPort, int threads, String transport) {
    this(bindAddress, adminAddress, adminPort, threads, transport, 0);
  }

  public static ProxyOptions defaults() {
    return new ProxyOptions("0.0.0.0", "0.0.0.0", DEFAULT_ADMIN_PORT, 0, "auto");
  }

  public ProxyOptions withAdminPort(int port) {
    return new ProxyOptions(bindAddress, adminAddress, port, threads, transport, maxConnections);
  }

  public ProxyOptions withBindAddress(String address) {
    return new ProxyOptions(address, adminAddress, adminPort, threads, transport, maxConnections);
  }

  public ProxyOptions withThreads(int n) {
    return new ProxyOptions(bindAddress, adminAddress, adminPort, n, transport, maxConnections);
  }

  public ProxyOptions withMaxConnections(int n) {
    return new ProxyOptions(bindAddress, adminAddress, adminPort, threads, transport, n);
  }

  public int effectiveThreads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }
}
