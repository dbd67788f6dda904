package dev.gantry.proxy.upstream;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live state of a backend that outlives reloads: the queue of requests waiting for an endpoint slot
 * (HAProxy's queue behind {@code maxconn}). Requests wait at most the queue timeout, and at most
 * {@link #MAX_QUEUED} wait at once; beyond that they are refused at once.
 */
public final class BackendState {

  /** Most requests waiting for a slot at once, per backend (Envoy's default for pending requests). */
  public static final int MAX_QUEUED = 1024;

  /** A request waiting for a slot. Its methods run on its own event loop. */
  public interface Waiter {
    /** Runs {@code task} on the waiter's event loop. */
    void execute(Runnable task);

    /** A slot may be free: try to pick an endpoint again. */
    void slotAvailable();

    /** False once the waiter gave up (timed out, or its client left). */
    boolean waiting();
  }

  private final String id;
  private final ConcurrentLinkedDeque<Waiter> queue = new ConcurrentLinkedDeque<>();
  private final AtomicInteger queued = new AtomicInteger();

  BackendState(String id) {
    this.id = id;
  }

  /** {@code lb/backend}. */
  public String id() {
    return id;
  }

  public int queued() {
    return queued.get();
  }

  /** Queues {@code w}; false when the queue is full. */
  public boolean enqueue(Waiter w) {
    if (queued.incrementAndGet() > MAX_QUEUED) {
      queued.decrementAndGet();
      return false;
    }
    queue.offerLast(w);
    return true;
  }

  /** Puts a waiter that lost the race for a slot back at the head of the queue. */
  public void requeue(Waiter w) {
    queued.incrementAndGet();
    queue.offerFirst(w);
  }

  /** Hands a freed slot to the oldest waiter still waiting, on its own event loop. */
  void slotFreed() {
    if (queued.get() == 0) {
      return;
    }
    Waiter w;
    while ((w = queue.pollFirst()) != null) {
      queued.decrementAndGet();
      if (w.waiting()) {
        Waiter next = w;
        next.execute(next::slotAvailable);
        return;
      }
    }
  }
}
