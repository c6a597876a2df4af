package io.queues4j.core;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Test fixture: closes an engine on a daemon thread and waits a bounded time, so a {@code
 * shutdown()} that deadlocks fails the test (with the stacks of the engine's threads) instead of
 * hanging the build.
 */
final class ReliabilityClose {
  private ReliabilityClose() {}

  static ShutdownReport shutdownWithin(QueueEngine engine, Duration grace, Duration limit)
      throws InterruptedException {
    CompletableFuture<ShutdownReport> report = new CompletableFuture<>();
    Thread closer = new Thread(() -> {
      try {
        report.complete(engine.shutdown(grace));
      } catch (Throwable t) {
        report.completeExceptionally(t);
      }
    }, "reliability-closer");
    closer.setDaemon(true);
    closer.start();
    try {
      return report.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("shutdown(" + grace + ") did not return within " + limit
          + " (deadlock?)\n" + stacks(), e);
    } catch (ExecutionException e) {
      throw new AssertionError("shutdown failed", e.getCause());
    }
  }

  /** The stacks of the closer and of the engine's threads. */
  static String stacks() {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      String name = e.getKey().getName();
      if (name.startsWith("queues4j-") || name.startsWith("reliability-")
          || name.startsWith("pool-")) {
        text.append('"').append(name).append("\" ").append(e.getKey().getState()).append('\n');
        for (StackTraceElement frame : e.getValue()) {
          text.append("    at ").append(frame).append('\n');
        }
      }
    }
    return text.toString();
  }
}
