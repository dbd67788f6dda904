package dev.gantry.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link SwapBenchmark}'s reloads timed by the CPU time of the thread that runs them as well as by the clock:
 * on a machine shared with other work the clock also counts the time the thread waited for a core, its CPU
 * time does not (garbage collection, done by other threads, is in neither). Prints one line per shape and
 * format: the median and minimum of each over the measured reloads.
 *
 * <pre>java -cp bench/jmh/target/benchmarks.jar dev.gantry.bench.SwapCpuTime [warm-up reloads] [measured reloads]</pre>
 */
public final class SwapCpuTime {

  private SwapCpuTime() {
  }

  public static void main(String[] args) throws Exception {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int measured = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    System.out.printf("%-14s %-6s %12s %12s %12s %12s%n", "shape", "format", "wall median", "wall min",
        "cpu median", "cpu min");
    for (String shape : new String[] {"routes-10000", "lbs-1000"}) {
      for (String format : new String[] {"yaml", "json"}) {
        SwapBenchmark b = new SwapBenchmark();
        b.shape = shape;
        b.format = format;
        b.setup();
        try {
          for (int i = 0; i < warmup; i++) {
            b.reload();
          }
          long[] wall = new long[measured];
          long[] cpu = new long[measured];
          for (int i = 0; i < measured; i++) {
            long c = threads.getCurrentThreadCpuTime();
            long w = System.nanoTime();
            b.reload();
            wall[i] = System.nanoTime() - w;
            cpu[i] = threads.getCurrentThreadCpuTime() - c;
          }
          System.out.printf("%-14s %-6s %9d ms %9d ms %9d ms %9d ms%n", shape, format, median(wall), min(wall),
              median(cpu), min(cpu));
        } finally {
          b.tearDown();
        }
      }
    }
  }

  private static long median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[(sorted.length - 1) / 2] / 1_000_000;
  }

  private static long min(long[] nanos) {
    return Arrays.stream(nanos).min().orElse(0) / 1_000_000;
  }
}
