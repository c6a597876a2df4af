package io.queues4j.core;

import io.queues4j.spi.StoredMessage;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine-wide memory budget shared by every queue's backlog. A message is charged its encoded
 * size plus {@link #OVERHEAD_PER_MESSAGE}, an estimate of what the engine keeps beside the body
 * (the stored message, its slot in a deque or heap, its timestamp entry). Producers reserve before
 * they enqueue, so the budget is never exceeded by sends; dead letters moving between queues are
 * charged unconditionally, since refusing them would lose them. Lock-free.
 */
final class BacklogBudget {
  /** Heap bytes a queued message costs beyond its body (see docs/BENCHMARKS.md). */
  static final long OVERHEAD_PER_MESSAGE = 100;

  private final long limit;
  private final AtomicLong used = new AtomicLong();

  BacklogBudget(long limit) {
    this.limit = limit;
  }

  static long cost(StoredMessage message) {
    return message.size() + OVERHEAD_PER_MESSAGE;
  }

  static long cost(List<StoredMessage> messages) {
    long cost = 0;
    for (StoredMessage m : messages) {
      cost += cost(m);
    }
    return cost;
  }

  /** Reserves {@code bytes} if they fit; returns the usage seen when refusing, or -1 on success. */
  long tryReserve(long bytes) {
    while (true) {
      long current = used.get();
      if (current + bytes > limit) {
        return current;
      }
      if (used.compareAndSet(current, current + bytes)) {
        return -1;
      }
    }
  }

  void charge(long bytes) {
    used.addAndGet(bytes);
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  long used() {
    return used.get();
  }

  long limit() {
    return limit;
  }
}
