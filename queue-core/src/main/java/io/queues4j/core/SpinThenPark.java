package io.queues4j.core;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Takes a lock on a producer's path, spinning for a few microseconds before it parks. The engine's
 * and the in-memory store's locks are held for well under a microsecond, but a producer that parks
 * on one waits for the holder to unpark it, which costs tens of microseconds on a busy machine:
 * with delivery threads settling and claiming all the time, a producer that always parked spent a
 * third of its time parked (JFR, FIFO queue with 1,000 groups). Only producers spin: when delivery
 * threads, which outnumber the cores, spun as well, some runs collapsed to half their speed.
 * Without a second processor there is nothing to wait for, so it parks at once.
 */
final class SpinThenPark {
  /** How long to spin before parking: a few times the longest hold of these locks. */
  static final long SPIN_NANOS = 5_000;
  private static final boolean MULTIPROCESSOR = Runtime.getRuntime().availableProcessors() > 1;

  private SpinThenPark() {}

  static void lock(ReentrantLock lock) {
    if (lock.tryLock()) {
      return;
    }
    if (MULTIPROCESSOR) {
      long deadline = System.nanoTime() + SPIN_NANOS;
      do {
        for (int i = 0; i < 16; i++) {
          Thread.onSpinWait();
          if (!lock.isLocked() && lock.tryLock()) {
            return;
          }
        }
      } while (System.nanoTime() - deadline < 0);
    }
    lock.lock();
  }
}
