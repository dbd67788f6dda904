package dev.gantry.operator.testing;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.RawHttp;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/**
 * HTTP/1.1 requests to one address and Host: single ones, and steady load from two threads that counts every
 * request and every failure (an exception, or an answer other than the expected ones), for the "no failed
 * request" checks. Each request has a connection of its own, as many independent clients would.
 */
public final class Traffic implements AutoCloseable {

  private final String address;
  private final int port;
  private final String host;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private final Map<String, Integer> answers = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();

  /** Requests to {@code address:port} with {@code Host: host}. */
  public Traffic(String address, int port, String host) {
    this.address = address;
    this.port = port;
    this.host = host;
  }

  /** GET {@code path}: the status code and the body, such as {@code 200 forum}. */
  public String get(String path) {
    return get(path, null);
  }

  /**
   * GET {@code path} from a source port below the kernel's ephemeral range, for requests that may reach a
   * Service port before kube-proxy has programmed it: each such refused attempt leaves a conntrack entry
   * without address translation for two minutes, and a later connection from the same source port (as
   * the kernel hands ephemeral ports out again) would follow it and be refused too. Kept apart from the
   * ports the load uses, those entries cannot touch what is measured.
   */
  public String probe(String path) {
    return get(path, new InetSocketAddress(Ports.free()));
  }

  private String get(String path, InetSocketAddress from) {
    try (RawHttp c = new RawHttp(from, address, port).timeout(5000)) {
      RawHttp.Response r = c.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .read();
      return r.status() + " " + r.body();
    }
  }

  /** Two threads GET {@code path} back to back until {@link #stopLoad()}; any other answer than these fails. */
  public void startLoad(String path, String... acceptable) {
    Set<String> ok = Set.of(acceptable);
    running.set(true);
    for (int i = 0; i < 2; i++) {
      Thread t = new Thread(() -> {
        while (running.get()) {
          try {
            String answer = get(path);
            answers.merge(answer, 1, Integer::sum);
            if (!ok.contains(answer)) {
              failures.incrementAndGet();
              System.out.println("traffic: " + java.time.Instant.now() + " unexpected answer " + answer.strip());
            }
          } catch (Exception e) {
            failures.incrementAndGet();
            System.out.println("traffic: " + java.time.Instant.now() + " request failed " + e);
          }
          requests.incrementAndGet();
        }
      }, "traffic-" + i);
      threads.add(t);
      t.start();
    }
  }

  /** Waits until at least {@code n} requests of the load were answered or failed. */
  public void awaitRequests(int n) {
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> requests.get() >= n);
  }

  public int requests() {
    return requests.get();
  }

  public int failures() {
    return failures.get();
  }

  /** How many requests of the load got exactly this answer. */
  public int answered(String answer) {
    return answers.getOrDefault(answer, 0);
  }

  /** Requests, answers by kind, and failures so far. */
  public String summary() {
    return requests.get() + " requests under load " + answers.toString().replace("\n", "") + ", " + failures.get()
        + " failed";
  }

  public void stopLoad() {
    running.set(false);
    for (Thread t : threads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    threads.clear();
  }

  @Override
  public void close() {
    stopLoad();
  }
}
