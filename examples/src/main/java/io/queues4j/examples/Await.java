package io.queues4j.examples;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Polls a condition, the way a client polls a status URL until queued work is done. */
final class Await {
  private static final long POLL_MILLIS = 10;

  private Await() {}

  /**
   * Waits until {@code condition} holds or {@code timeout} passes.
   *
   * @return whether the condition holds
   * @throws InterruptedException if interrupted while waiting
   */
  static boolean until(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
    }
    return true;
  }
}
