package dev.gantry.proxy.config;

import dev.gantry.model.Diagnostic;
import dev.gantry.model.LoadResult;
import dev.gantry.model.ModelLoader;
import dev.gantry.model.ValidationMode;
import dev.gantry.proxy.GantryProxy;
import dev.gantry.proxy.pipeline.ListenerBindException;
import dev.gantry.proxy.tls.CertificateFiles;
import dev.gantry.proxy.tls.CertificateResolver;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standalone mode: the configuration is a file. It is watched, and re-read on SIGHUP; a valid change is
 * applied, an invalid one is logged with its locations while the last good configuration keeps serving.
 * The certificate files it names (relative paths are taken from the file's directory) are watched too: a
 * renewed certificate is served to new connections without a restart.
 */
public final class FileConfigSource implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FileConfigSource.class);
  /** Editors write a file in several steps; changes closer together than this are read once. */
  private static final long SETTLE_MILLIS = 100;
  /** Also compared periodically, for file systems whose change events are unreliable. */
  private static final long POLL_MILLIS = 1000;

  private final Path file;
  private final GantryProxy proxy;
  private final Path directory;
  private final CertificateResolver certificates;
  private String appliedText;
  private List<Path> certificateFiles = List.of();
  /** Modification stamp of the certificate files when they were last read, applied or not. */
  private volatile long certificatesSeen;
  private volatile boolean closed;
  private WatchService watcher;
  private Thread thread;

  public FileConfigSource(Path file, GantryProxy proxy) {
    this.file = file;
    this.proxy = proxy;
    this.directory = file.toAbsolutePath().getParent();
    this.certificates = CertificateResolver.files(directory);
  }

  /** Reads, checks and loads the file once. Returns the problems found; empty means it is served. */
  public synchronized List<String> loadInitial() {
    return load("start-up");
  }

  /** Re-reads the file now (SIGHUP, or a change seen by the watcher). Returns the problems found. */
  public synchronized List<String> reload(String reason) {
    return load(reason);
  }

  private List<String> load(String reason) {
    String text;
    try {
      text = readSettled();
    } catch (IOException e) {
      return rejected(List.of(file + ": cannot read: " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
    if (text.isBlank()) {
      return rejected(List.of(file + ": the file is empty: it must hold at least one LoadBalancer document"));
    }
    long certificateStamp = stamp(certificateFiles);
    if (text.equals(appliedText) && certificateStamp == certificatesSeen && !reason.equals("SIGHUP")) {
      return List.of();
    }
    LoadResult result = ModelLoader.load(file.toString(), text, ValidationMode.STANDALONE);
    if (!result.ok()) {
      return rejected(result.diagnostics().stream().map(Diagnostic::toString).toList());
    }
    if (result.loadBalancers().isEmpty()) {
      return rejected(List.of(file + ": no LoadBalancer document in the file"));
    }
    List<Path> referenced = CertificateFiles.referencedBy(result.loadBalancers(), directory);
    certificateFiles = referenced;
    certificatesSeen = stamp(referenced);
    try {
      proxy.apply(result.loadBalancers(), certificates, reason);
      appliedText = text;
      return List.of();
    } catch (ListenerBindException e) {
      // apply() counted the failure already.
      return logRejected(List.of(file + ": " + e.getMessage()));
    } catch (ConfigRejectedException e) {
      return logRejected(e.problems().stream().map(p -> file + ": " + p).toList());
    }
  }

  /**
   * Reads the file; an empty read is retried a few times, since a file rewritten in place is empty for a
   * moment between truncation and the write.
   */
  private String readSettled() throws IOException, InterruptedException {
    String text = Files.readString(file);
    for (int i = 0; i < 3 && text.isBlank(); i++) {
      Thread.sleep(SETTLE_MILLIS);
      text = Files.readString(file);
    }
    return text;
  }

  private List<String> rejected(List<String> problems) {
    proxy.rejected();
    return logRejected(problems);
  }

  private List<String> logRejected(List<String> problems) {
    String keeping = appliedText == null ? "" : "; the last good configuration keeps serving";
    LOG.error("configuration {} rejected ({} problem(s)){}", file, problems.size(), keeping);
    problems.forEach(p -> LOG.error("  {}", p));
    return problems;
  }

  /** Starts watching the file for changes, and SIGHUP for explicit reloads. */
  public void startWatching() throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    watcher = FileSystems.getDefault().newWatchService();
    dir.register(watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_DELETE);
    thread = new Thread(this::watch, "gantry-config-watch");
    thread.setDaemon(true);
    thread.start();
    Signals.onHangup(() -> reload("SIGHUP"));
  }

  private void watch() {
    long lastModified = modifiedTime();
    while (!closed) {
      try {
        WatchKey key = watcher.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        String reason = null;
        if (key != null) {
          key.pollEvents();
          key.reset();
          reason = "file changed";
          Thread.sleep(SETTLE_MILLIS);
          // Let a burst of events settle into one reload.
          WatchKey more;
          while ((more = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
            more.pollEvents();
            more.reset();
          }
        } else if (modifiedTime() != lastModified) {
          reason = "file changed";
        } else if (certificatesChanged()) {
          reason = "certificate file changed";
        }
        if (reason != null) {
          lastModified = modifiedTime();
          reload(reason);
        }
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("reloading {} failed unexpectedly; the last good configuration keeps serving", file, e);
      }
    }
  }

  /** True when a certificate file changed since it was read; waits for a renewal's writes to settle. */
  private boolean certificatesChanged() throws InterruptedException {
    List<Path> files = certificateFiles;
    if (files.isEmpty() || stamp(files) == certificatesSeen) {
      return false;
    }
    Thread.sleep(SETTLE_MILLIS);
    return true;
  }

  /** Modification times and sizes of {@code files}, folded into one number. */
  private static long stamp(List<Path> files) {
    long h = 17;
    for (Path f : files) {
      long m;
      try {
        m = Files.getLastModifiedTime(f).toMillis() * 31 + Files.size(f);
      } catch (IOException e) {
        m = -1;
      }
      h = h * 1_000_003 + m;
    }
    return h;
  }

  private long modifiedTime() {
    try {
      return Files.getLastModifiedTime(file).toMillis() ^ Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    closed = true;
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException e) {
        LOG.debug("closing the file watcher", e);
      }
    }
  }
}
