package dev.gantry.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a real client program ({@code openssl}, {@code curl}) and collects what it printed. */
public final class ExternalCommand {

  /** Exit status and combined output (stdout, then stderr). */
  public record Result(int exitCode, String stdout, String stderr) {
    public String output() {
      return stdout + stderr;
    }
  }

  private ExternalCommand() {
  }

  /** True when {@code program} is on the PATH. */
  public static boolean available(String program) {
    try {
      return run(List.of("sh", "-c", "command -v " + program), "").exitCode() == 0;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Runs {@code command} with {@code stdin} as its input; fails the test after 60 s. */
  public static Result run(List<String> command, String stdin) {
    try {
      Process p = new ProcessBuilder(command).start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("still running after 60 s: " + command);
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
