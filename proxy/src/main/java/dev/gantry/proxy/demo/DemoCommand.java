package dev.gantry.proxy.demo;

import dev.gantry.model.LoadResult;
import dev.gantry.model.ModelLoader;
import dev.gantry.model.ValidationMode;
import dev.gantry.proxy.GantryProxy;
import dev.gantry.proxy.Main;
import dev.gantry.proxy.cli.CommandSpec;
import dev.gantry.proxy.pipeline.Transport;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code gantry-proxy demo}: the quickstart with its backends included. A shop's main site answers
 * everything, except {@code /community}, which moved to a forum of its own.
 */
public final class DemoCommand {

  static final String QUICKSTART = "/examples/quickstart.yaml";
  static final int MAIN_SITE_PORT = 9001;
  static final int FORUM_PORT = 9002;
  static final int LISTENER_PORT = 8080;

  Main.RuntimeOptions runtime = new Main.RuntimeOptions();

  /** The {@code demo} command: the runtime options of the main command, and none of its own. */
  public CommandSpec command() {
    return new CommandSpec("demo", Main.VERSION,
        "Starts two demo backends (main site on 127.0.0.1:9001, forum on 127.0.0.1:9002) and the "
            + "load balancer of examples/quickstart.yaml on port 8080.",
        runtime.options(), List.of(), List.of(), this::call);
  }

  Integer call() throws Exception {
    LoadResult quickstart = ModelLoader.load("examples/quickstart.yaml", readQuickstart(), ValidationMode.STANDALONE);
    if (!quickstart.ok()) {
      quickstart.diagnostics().forEach(System.err::println);
      return 2;
    }
    Transport transport = Transport.select(runtime.proxyOptions().transport());
    EventLoopGroup backends = transport.newGroup(1, "gantry-demo-backend");
    DemoBackend mainSite;
    DemoBackend forum;
    try {
      mainSite = DemoBackend.start(backends, transport.serverChannelClass(), MAIN_SITE_PORT, "main site");
      forum = DemoBackend.start(backends, transport.serverChannelClass(), FORUM_PORT, "forum");
    } catch (Exception e) {
      System.err.println("demo: cannot start the demo backends on 127.0.0.1:" + MAIN_SITE_PORT + " and :"
          + FORUM_PORT + " (" + e.getMessage() + "); is another demo running?");
      backends.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      return 1;
    }
    GantryProxy proxy;
    try {
      proxy = GantryProxy.start(runtime.proxyOptions(), runtime.accessLog());
    } catch (dev.gantry.proxy.pipeline.ListenerBindException e) {
      System.err.println("gantry-proxy: " + e.getMessage());
      return 1;
    }
    try {
      proxy.apply(quickstart.loadBalancers(), "demo");
    } catch (Exception e) {
      System.err.println("demo: " + e.getMessage());
      proxy.close();
      mainSite.close();
      forum.close();
      backends.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      return 1;
    }
    printWelcome(proxy.adminPort());
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      proxy.close();
      mainSite.close();
      forum.close();
      backends.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      done.countDown();
    }, "gantry-demo-shutdown"));
    done.await();
    return 0;
  }

  private static String readQuickstart() {
    try (InputStream in = DemoCommand.class.getResourceAsStream(QUICKSTART)) {
      if (in == null) {
        throw new IllegalStateException(QUICKSTART + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void printWelcome(int adminPort) {
    String lb = "http://localhost:" + LISTENER_PORT;
    System.err.println();
    System.err.println("Gantry demo: the load balancer of examples/quickstart.yaml is serving " + lb);
    System.err.println("  main site backend  127.0.0.1:" + MAIN_SITE_PORT);
    System.err.println("  forum backend      127.0.0.1:" + FORUM_PORT + "   (everything under /community)");
    System.err.println();
    System.err.println("Try:");
    System.err.println("  curl -i " + lb + "/                 # the main site");
    System.err.println("  curl -i " + lb + "/community        # the forum");
    System.err.println("  curl -i " + lb + "/community/posts  # the forum");
    System.err.println("  curl -i " + lb + "/communityx       # the main site: prefixes match whole segments");
    if (adminPort > 0) {
      System.err.println("  curl http://localhost:" + adminPort + "/metrics");
    }
    System.err.println();
    System.err.println("Access log lines follow on stdout. Press Ctrl-C to stop.");
    System.err.println();
  }
}
