package io.queues4j.core;

import java.util.concurrent.locks.ReentrantLock;

/** Experimental. */
final class BriefSpin {
  private BriefSpin() {}

  static final int SPINS = Integer.getInteger("q4j.spins", 64);

  static void lock(ReentrantLock lock) {
    if (lock.tryLock()) {
      return;
    }
    for (int i = 0; i < SPINS; i++) {
      Thread.onSpinWait();
      if (!lock.isLocked() && lock.tryLock()) {
        return;
      }
    }
    lock.lock();
  }
}
