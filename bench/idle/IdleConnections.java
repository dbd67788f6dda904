import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens idle client connections to a proxy in steps and prints the proxy process's resident memory after
 * each step, then (with {@code --requests}) sends one keep-alive request on every connection and measures
 * again: what an idle connection costs, before its first request and between requests.
 *
 * <p>Usage: {@code java IdleConnections.java PORT PIDS TOTAL STEP SETTLE_MS [--requests] [--jvm]}, PIDS
 * separated by commas (a master and its workers are added up). With {@code --jvm} (the proxy is a JVM), a
 * last measurement follows a full garbage collection ({@code jcmd PID GC.run}): what the connections retain.
 * Loopback only.
 */
public final class IdleConnections {

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String pid = args[1];
    int total = Integer.parseInt(args[2]);
    int step = Integer.parseInt(args[3]);
    long settle = Long.parseLong(args[4]);
    List<String> flags = List.of(args).subList(5, args.length);
    boolean requests = flags.contains("--requests");
    boolean jvm = flags.contains("--jvm");
    InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
    List<SocketChannel> open = new ArrayList<>(total);
    if (jvm) {
      System.out.println("# heap at 0 connections after a full collection: " + heapAfterFullGc(pid));
    }
    Thread.sleep(settle);
    System.out.printf("%-12s %10s %12s %14s%n", "connections", "rss_mib", "delta_mib", "kib_per_conn");
    long base = rssKib(pid);
    print(0, base, base);
    try {
      while (open.size() < total) {
        int until = Math.min(total, open.size() + step);
        while (open.size() < until) {
          SocketChannel c = SocketChannel.open();
          c.setOption(StandardSocketOptions.TCP_NODELAY, true);
          c.connect(target);
          open.add(c);
        }
        Thread.sleep(settle);
        print(open.size(), rssKib(pid), base);
      }
      if (requests) {
        byte[] req = "GET / HTTP/1.1\r\nHost: idle\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        int ok = 0;
        for (SocketChannel c : open) {
          c.write(ByteBuffer.wrap(req));
          in.clear();
          if (readResponse(c, in)) {
            ok++;
          }
        }
        Thread.sleep(settle);
        System.out.printf("# after one keep-alive request on each connection (%d answered 200):%n", ok);
        print(open.size(), rssKib(pid), base);
      }
      if (jvm) {
        String gcLine = heapAfterFullGc(pid);
        Thread.sleep(settle);
        System.out.println("# after a full garbage collection (jcmd GC.run), connections still open:");
        print(open.size(), rssKib(pid), base);
        System.out.println("# heap after that collection: " + gcLine);
      }
    } finally {
      for (SocketChannel c : open) {
        c.close();
      }
    }
  }

  /** Runs a full collection in the JVM of the first pid; returns jcmd's line on the heap in use after it. */
  private static String heapAfterFullGc(String pids) throws IOException, InterruptedException {
    String first = pids.split(",")[0].trim();
    new ProcessBuilder("jcmd", first, "GC.run").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    Process info = new ProcessBuilder("jcmd", first, "GC.heap_info").redirectErrorStream(true).start();
    String out = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    info.waitFor();
    for (String line : out.split("\n")) {
      if (line.contains("used")) {
        return line.trim();
      }
    }
    return "(no heap information)";
  }

  /** Reads until the end of a response's head and body (Content-Length framed); true for a 200. */
  private static boolean readResponse(SocketChannel c, ByteBuffer in) throws IOException {
    while (true) {
      if (c.read(in) < 0) {
        return false;
      }
      String s = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
      int end = s.indexOf("\r\n\r\n");
      if (end < 0) {
        continue;
      }
      int cl = s.toLowerCase().indexOf("content-length:");
      int length = cl < 0 ? 0 : Integer.parseInt(s.substring(cl + 15, s.indexOf("\r\n", cl)).trim());
      if (in.position() >= end + 4 + length) {
        return s.startsWith("HTTP/1.1 200");
      }
    }
  }

  private static void print(int n, long rssKib, long baseKib) {
    double delta = (rssKib - baseKib) / 1024.0;
    String per = n == 0 ? "-" : String.format("%.2f", (rssKib - baseKib) / (double) n);
    System.out.printf("%-12d %10.1f %12.1f %14s%n", n, rssKib / 1024.0, delta, per);
  }

  private static long rssKib(String pids) throws IOException {
    long sum = 0;
    for (String pid : pids.split(",")) {
      for (String line : Files.readAllLines(Path.of("/proc", pid.trim(), "status"))) {
        if (line.startsWith("VmRSS:")) {
          sum += Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    }
    return sum;
  }
}
