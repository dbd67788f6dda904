package dev.gantry.proxy.l7;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link HeaderPathBenchmark}'s exchanges timed by the CPU time of the thread that runs them: on a machine
 * shared with other work the clock also counts the time the thread waited for a core, its CPU time does not.
 * Runs rounds of exchanges and prints the median and minimum CPU nanoseconds per exchange over the rounds.
 *
 * <pre>java -cp bench/jmh/target/benchmarks.jar dev.gantry.proxy.l7.HeaderPathCpuTime [rounds] [exchanges per round]</pre>
 */
public final class HeaderPathCpuTime {

  private HeaderPathCpuTime() {
  }

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    HeaderPathBenchmark b = new HeaderPathBenchmark();
    b.setup();
    try {
      // The first rounds let the compiler settle; only the later half counts.
      long[] cpu = new long[rounds];
      for (int r = 0; r < rounds; r++) {
        long c = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < perRound; i++) {
          b.exchangeHeads();
        }
        cpu[r] = (threads.getCurrentThreadCpuTime() - c) / perRound;
      }
      long[] counted = Arrays.copyOfRange(cpu, rounds / 2, rounds);
      Arrays.sort(counted);
      System.out.printf("cpu ns per exchange: median %d, min %d (%d rounds of %d, the first %d not counted)%n",
          counted[(counted.length - 1) / 2], counted[0], rounds, perRound, rounds / 2);
    } finally {
      b.tearDown();
    }
  }
}
