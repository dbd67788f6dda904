package dev.gantry.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end (a cluster script, kubectl, ip) and hands back what it printed. */
public final class Commands {

  /** How a command ended: its exit status and everything it printed, both streams together. */
  public record Result(int exitCode, String output) {
  }

  /** Long enough for the first build of the Kubernetes binaries on two cores. */
  private static final long TIMEOUT_MINUTES = 30;

  private Commands() {
  }

  /** Standard output of a command that must succeed; its standard error is echoed to the test's. */
  public static String run(List<String> command, Map<String, String> env, Path dir) {
    try {
      Path err = Files.createTempFile("gantry-command-", ".err");
      try {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
            .redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = waitFor(p, command);
        String errors = Files.readString(err);
        System.err.print(errors);
        if (code != 0) {
          throw new IllegalStateException(String.join(" ", command) + " exited with " + code + ":\n" + errors + out);
        }
        return out;
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Exit status and combined output of a command that may fail. */
  public static Result result(List<String> command, Map<String, String> env, Path dir) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(waitFor(p, command), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int waitFor(Process p, List<String> command) {
    try {
      if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not end within " + TIMEOUT_MINUTES
            + " minutes");
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    }
  }
}
