package dev.gantry.proxy.grpc.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * grpc-go's official interoperability test client and server ({@code google.golang.org/grpc/interop/client} and
 * {@code .../interop/server}), built from the Go module in {@code src/test/grpc-interop} by its {@code build.sh}
 * (once; the binaries are cached by the module's digest), and run as processes.
 */
final class GrpcGoInterop {

  /** What a finished process left: its exit code and everything it printed. */
  record Result(int exitCode, String output) {
  }

  private final Path client;
  private final Path server;

  private GrpcGoInterop(Path dir) {
    this.client = dir.resolve("interop-client");
    this.server = dir.resolve("interop-server");
  }

  /** Builds the binaries when they are not cached yet; fails with the build's output (Go missing, ...). */
  static GrpcGoInterop build() {
    Result r = run(List.of("bash", "src/test/grpc-interop/build.sh"), Map.of(), 900);
    String out = r.output().strip();
    if (r.exitCode() != 0) {
      throw new AssertionError("building grpc-go's interop client and server failed (exit " + r.exitCode()
          + "); Go 1.26 or newer must be on PATH:\n" + out);
    }
    GrpcGoInterop tools = new GrpcGoInterop(Path.of(out.substring(out.lastIndexOf('\n') + 1)));
    if (!Files.isExecutable(tools.client) || !Files.isExecutable(tools.server)) {
      throw new AssertionError("build.sh printed no directory holding interop-client and interop-server:\n" + out);
    }
    return tools;
  }

  Path server() {
    return server;
  }

  /** Runs the interop client with {@code args}; stopped (and its output kept) if still running after 60 s. */
  Result client(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(client.toString());
    command.addAll(args);
    // info: the client says which case it runs and what it checked, which a failure message then shows
    return run(command, Map.of("GRPC_GO_LOG_SEVERITY_LEVEL", "info"), 60);
  }

  /** The client's own description of its flags ({@code -h}). */
  String clientHelp() {
    return run(List.of(client.toString(), "-h"), Map.of(), 30).output();
  }

  static Result run(List<String> command, Map<String, String> env, int timeoutSeconds) {
    Path log = null;
    Process p = null;
    try {
      log = Files.createTempFile("grpc-interop", ".log");
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(env);
      p = pb.start();
      boolean exited = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
      if (!exited) {
        stop(p);
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      if (!exited) {
        throw new AssertionError("still running after " + timeoutSeconds + " s, stopped: " + command + "\n" + output);
      }
      return new Result(p.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      if (p != null && p.isAlive()) {
        stop(p);
      }
      if (log != null) {
        try {
          Files.deleteIfExists(log);
        } catch (IOException e) {
          // a temporary file left behind is harmless
        }
      }
    }
  }

  /** Stops one process by its PID: SIGTERM, then SIGKILL if it has not exited 5 s later. */
  static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
