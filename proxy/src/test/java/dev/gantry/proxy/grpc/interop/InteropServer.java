package dev.gantry.proxy.grpc.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * grpc-go's official interop server ({@code grpc.testing.TestService}) as a process: in clear text (h2c) or with
 * TLS (h2 by ALPN) under a given certificate. It listens on every address of the machine (the server has no flag
 * to choose one); the tests reach it on 127.0.0.1. Closing it stops the process by its PID.
 */
final class InteropServer implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final int port;
  /** Kills the process should the test JVM end without closing the server (a killed fork, for one). */
  private final Thread onExit;

  private InteropServer(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.onExit = new Thread(process::destroyForcibly, "interop-server-" + process.pid());
    Runtime.getRuntime().addShutdownHook(onExit);
  }

  /** Starts the server on {@code port}, with TLS when {@code certFile} is not null; returns once it accepts. */
  static InteropServer start(Path binary, int port, Path certFile, Path keyFile) {
    List<String> command = new ArrayList<>(List.of(binary.toString(), "-port", Integer.toString(port)));
    if (certFile != null) {
      command.addAll(List.of("-use_tls", "-tls_cert_file", certFile.toString(), "-tls_key_file", keyFile.toString()));
    }
    InteropServer server;
    try {
      Path log = Files.createTempFile("grpc-interop-server", ".log");
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("GRPC_GO_LOG_SEVERITY_LEVEL", "info");
      server = new InteropServer(pb.start(), log, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      server.awaitAccepting();
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  int port() {
    return port;
  }

  /** What the server printed so far. */
  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  private void awaitAccepting() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("interop server exited with " + process.exitValue() + ":\n" + output());
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("interop server not accepting on port " + port + " after 30 s:\n" + output());
  }

  @Override
  public void close() {
    GrpcGoInterop.stop(process);
    try {
      Runtime.getRuntime().removeShutdownHook(onExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway, on a process already stopped
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // a temporary file left behind is harmless
    }
  }
}
