package dev.gantry.proxy.health;

import dev.gantry.proxy.config.BackendRuntime;
import dev.gantry.proxy.config.CompiledConfig;
import dev.gantry.proxy.config.EndpointRuntime;
import dev.gantry.proxy.upstream.EndpointState;
import dev.gantry.proxy.upstream.UpstreamRegistry;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks of every endpoint whose backend has a {@code healthCheck}, on one event loop apart
 * from traffic. Each endpoint's first check comes at a random point within its interval, so checks are
 * spread out rather than fired all at once. A reload keeps the checks (and the verdicts) of endpoints whose
 * check did not change. Until checks conclude, an endpoint counts as healthy.
 */
public final class HealthChecker {

  private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

  private final EventLoop loop;
  private final Probe probe;
  /** Running checks by endpoint key; touched only on {@link #loop}. */
  private final Map<String, Check> checks = new HashMap<>();

  public HealthChecker(EventLoop loop, Class<? extends SocketChannel> channelClass) {
    this.loop = loop;
    this.probe = new Probe(loop, channelClass);
  }

  /** Starts, keeps or stops checks to match {@code config}. */
  public void reconcile(CompiledConfig config) {
    loop.execute(() -> apply(config));
  }

  /** How an endpoint is checked, for the admin page; null when it is not. */
  public static String describe(BackendRuntime b) {
    return b.healthCheck() == null ? null : CheckSpec.of(b.healthCheck(), null, b.tls(), b.http2()).describe();
  }

  private void apply(CompiledConfig config) {
    Map<String, Check> wanted = new HashMap<>();
    for (BackendRuntime b : config.backends()) {
      if (b.healthCheck() == null) {
        continue;
      }
      for (EndpointRuntime e : b.endpoints()) {
        String key = UpstreamRegistry.endpointKey(b.lbId(), b.name(), e.label());
        CheckSpec spec = CheckSpec.of(b.healthCheck(), e.address(), b.tls(), b.http2());
        Check running = checks.get(key);
        wanted.put(key, running != null && running.spec.equals(spec) && running.state == e.state()
            ? running : new Check(b.lbId() + " backend " + b.name(), e.label(), spec, e.state()));
      }
    }
    for (Iterator<Map.Entry<String, Check>> it = checks.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Check> entry = it.next();
      if (wanted.get(entry.getKey()) != entry.getValue()) {
        entry.getValue().stop();
        if (!wanted.containsKey(entry.getKey())) {
          entry.getValue().state.uncheck();
        }
        it.remove();
      }
    }
    for (Map.Entry<String, Check> entry : wanted.entrySet()) {
      if (checks.putIfAbsent(entry.getKey(), entry.getValue()) == null) {
        entry.getValue().start();
      }
    }
  }

  public void stop() {
    loop.execute(() -> {
      checks.values().forEach(Check::stop);
      checks.clear();
    });
  }

  /** The repeating check of one endpoint. */
  private final class Check {
    final String owner;
    final String endpoint;
    final CheckSpec spec;
    final EndpointState state;
    ScheduledFuture<?> next;
    boolean stopped;

    Check(String owner, String endpoint, CheckSpec spec, EndpointState state) {
      this.owner = owner;
      this.endpoint = endpoint;
      this.spec = spec;
      this.state = state;
    }

    void start() {
      long firstDelay = ThreadLocalRandom.current().nextLong(spec.intervalNanos());
      next = loop.schedule(this::run, firstDelay, TimeUnit.NANOSECONDS);
    }

    void run() {
      if (stopped) {
        return;
      }
      long started = System.nanoTime();
      probe.run(spec, ok -> {
        if (stopped) {
          return;
        }
        EndpointState.Health before = state.health();
        state.checked(ok, spec.rise(), spec.fall());
        EndpointState.Health after = state.health();
        if (after != before && after != EndpointState.Health.UNCHECKED) {
          LOG.info("LoadBalancer({}): endpoint {} is now {} ({} check {})", owner, endpoint,
              after.name().toLowerCase(java.util.Locale.ROOT), spec.describe(), ok ? "passed" : "failed");
        }
        long delay = Math.max(0, spec.intervalNanos() - (System.nanoTime() - started));
        next = loop.schedule(this::run, delay, TimeUnit.NANOSECONDS);
      });
    }

    void stop() {
      stopped = true;
      if (next != null) {
        next.cancel(false);
      }
    }
  }
}
