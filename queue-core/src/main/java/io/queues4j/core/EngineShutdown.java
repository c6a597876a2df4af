package io.queues4j.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an engine closes: stop intake and dispatch, wait for the work in progress (invocations and
 * store operations) up to the grace period, report what is left where it lies, stop the engine's
 * own threads, close the store. The second call returns the first report.
 */
final class EngineShutdown {
  private static final Logger logger = LoggerFactory.getLogger(QueueEngine.class);

  private final EngineContext context;
  private final QueueRegistry registry;
  private final @Nullable DeliveryPool ownedExecutor;
  private final @Nullable ThreadScheduler ownedScheduler;
  private @Nullable ShutdownReport report; // guarded by registry.registration

  EngineShutdown(EngineContext context, QueueRegistry registry,
      @Nullable DeliveryPool ownedExecutor, @Nullable ThreadScheduler ownedScheduler) {
    this.context = context;
    this.registry = registry;
    this.ownedExecutor = ownedExecutor;
    this.ownedScheduler = ownedScheduler;
  }

  ShutdownReport run(Duration gracePeriod) {
    Invocation<?> caller = Invocation.current();
    Invocation<?> own = caller != null && caller.engine() == context ? caller : null;
    int ownWork = own == null ? 0 : 1;
    synchronized (registry.registration) {
      ShutdownReport done = report;
      if (done != null) {
        return done;
      }
      context.stopAccepting();
      for (QueueRuntime runtime : registry.all()) {
        runtime.control.stopDispatching();
      }
      boolean interrupted = false;
      try {
        context.awaitIdle(() -> context.work.get() <= ownWork, gracePeriod);
      } catch (InterruptedException e) {
        interrupted = true;
      }
      Map<String, Long> undelivered = new LinkedHashMap<>();
      int abandoned = -ownWork;
      for (QueueRuntime runtime : registry.all()) {
        runtime.cancelWakeUp();
        abandoned += runtime.inFlight();
        long left = runtime.metrics().backlogCount();
        if (own != null && own.queue().equals(runtime.name)) {
          left -= own.claimed().size();
        }
        if (left > 0) {
          undelivered.put(runtime.name, left);
        }
      }
      stopOwnedThreads();
      ShutdownReport result = new ShutdownReport(undelivered, abandoned);
      log(result, undelivered, abandoned);
      if (own != null) {
        logger.info(
            "Queue engine closed from a handler of queue '{}': that batch of {} messages settles"
                + " when the handler returns, then the store closes",
            own.queue(), own.claimed().size());
        context.runWhenIdle(this::closeStore); // the batch's settlement still needs the store
      } else {
        closeStore();
      }
      report = result;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return result;
    }
  }

  private void log(ShutdownReport result, Map<String, Long> undelivered, int abandoned) {
    if (result.clean()) {
      logger.info("Queue engine closed; every message was delivered");
    } else if (context.store.durable()) {
      logger.info(
          "Queue engine closed with {} messages undelivered {} and {} invocations still running;"
              + " {} keeps them for the next start",
          result.undelivered(), undelivered, abandoned, context.store);
    } else {
      logger.warn(
          "Queue engine closed with {} messages undelivered {} and {} invocations still running;"
              + " the in-memory store does not persist them",
          result.undelivered(), undelivered, abandoned);
    }
  }

  private void closeStore() {
    try {
      context.store.close();
    } catch (RuntimeException e) {
      logger.error("Closing the store {} failed", context.store, e);
    }
  }

  /**
   * Stops the timer and delivery threads. Called from one of them (a handler closing the engine),
   * it does not wait for that thread, which ends when its handler returns.
   */
  private void stopOwnedThreads() {
    try {
      if (ownedScheduler != null && !ownedScheduler.shutdown(1_000)) {
        logger.warn("The queues4j-timer thread did not stop within 1 s");
      }
      if (ownedExecutor != null && !ownedExecutor.shutdown(1_000)) {
        logger.warn("Some queues4j-delivery threads did not stop: a handler ignores interrupts");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
