package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.QueueClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, shutdown under load: {@code close()} during heavy sending and delivery finishes within
 * its grace period, leaves no {@code queues4j-*} thread of its own running, and reports exactly
 * what it did not deliver: per queue, sent = acked + dead-lettered + dropped + undelivered at
 * close.
 */
class ReliabilityShutdownTest {

  /** The engine threads alive now (other tests' engines may have some; only new ones count). */
  private static Set<Thread> engineThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("queues4j-"))
        .collect(Collectors.toSet());
  }

  private static List<Thread> newEngineThreads(Set<Thread> before) {
    List<Thread> left = new ArrayList<>();
    for (Thread t : engineThreads()) {
      if (!before.contains(t)) {
        left.add(t);
      }
    }
    return left;
  }

  @Test
  void closeDuringHeavySendingAndDeliveryReportsExactlyWhatItDidNotDeliver() throws Exception {
    Set<Thread> before = engineThreads();
    ReliabilityLedger ledger = new ReliabilityLedger();
    ExecutorService async = Executors.newFixedThreadPool(2);
    ExecutorService producers = Executors.newFixedThreadPool(3);
    Duration grace = Duration.ofSeconds(3);
    QueueEngine engine =
        QueueEngine.builder().listener(ledger).shutdownGracePeriod(grace).build();
    try {
      ReliabilityLoadTest.declare(engine, async);
      CountDownLatch flowing = new CountDownLatch(3);
      List<Future<Long>> done = new ArrayList<>();
      for (int p = 0; p < 3; p++) {
        int producer = p;
        done.add(producers.submit(() -> {
          flowing.countDown();
          // until the engine refuses: produce() returns on QueueClosedException
          return ReliabilityLoadTest.produce(engine, producer, Long.MAX_VALUE);
        }));
      }
      assertThat(flowing.await(10, TimeUnit.SECONDS)).isTrue();
      awaitDeliveries(engine, 20_000);
      long start = System.nanoTime();
      // mid-flight: producers still sending, batches in flight
      ReliabilityClose.shutdownWithin(engine, grace, Duration.ofSeconds(15));
      long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      long sent = 0;
      for (Future<Long> f : done) {
        sent += f.get(10, TimeUnit.SECONDS);
      }
      ShutdownReport report = engine.shutdown(Duration.ZERO); // the same report again
      assertThat(closeMillis).as("close() within its grace period (plus 2 s to stop threads)")
          .isLessThan(grace.toMillis() + 2_000);
      assertThat(report.abandonedInvocations()).isZero();
      assertThat(newEngineThreads(before)).as("queues4j threads left running").isEmpty();
      ReliabilityLoadTest.Totals totals = ReliabilityLoadTest.audit(engine, report, ledger, sent);
      assertThat(totals.undelivered()).as("close() interrupted real work").isPositive();
      assertThat(report.undelivered()).isEqualTo(totals.undelivered());
      ReliabilityLoadTest.print("shutdown", totals);
      CompletableFuture<?> late = engine.queue("orders").send("late");
      assertThat(late).isCompletedExceptionally();
      assertThat(catchCause(late)).isInstanceOf(QueueClosedException.class);
    } finally {
      producers.shutdownNow();
      async.shutdownNow();
    }
  }

  private static Throwable catchCause(CompletableFuture<?> future) {
    try {
      future.join();
      throw new AssertionError("did not fail");
    } catch (CompletionException e) {
      return java.util.Objects.requireNonNull(e.getCause());
    }
  }

  private static void awaitDeliveries(QueueEngine engine, long deliveries)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Object monitor = new Object();
    while (engine.stats("orders").deliveries() + engine.stats("events").deliveries() < deliveries) {
      assertThat(System.nanoTime()).as("waiting for load").isLessThan(deadline);
      synchronized (monitor) {
        monitor.wait(10); // a bounded re-check of the counters, not a wait for time to pass
      }
    }
  }

  @Test
  void aHandlerStillRunningAtTheEndOfTheGracePeriodIsInterruptedAndReported() throws Exception {
    Set<Thread> before = engineThreads();
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
    QueueEngine engine = QueueEngine.builder().build();
    engine.declareQueue("slow");
    engine.consume("slow", String.class, ConsumerSettings.builder()
        .maxBatchTimeout(Duration.ZERO).build(), (batch, ctx) -> {
          started.countDown();
          try {
            new CountDownLatch(1).await(); // until interrupted
          } catch (InterruptedException e) {
            interrupted.complete(true);
            throw e;
          }
        });
    engine.<String>queue("slow").send("stuck").join();
    engine.<String>queue("slow").send("queued behind it", 
        io.queues4j.QueueSendOptions.delaySeconds(60)).join();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    long start = System.nanoTime();
    ShutdownReport report =
        ReliabilityClose.shutdownWithin(engine, Duration.ofMillis(200), Duration.ofSeconds(10));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_200);
    assertThat(interrupted.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(report.abandonedInvocations()).isEqualTo(1);
    assertThat(report.undeliveredByQueue()).containsEntry("slow", 2L);
    assertThat(newEngineThreads(before)).as("queues4j threads left running").isEmpty();
  }

  /**
   * Was an engine bug, now fixed: {@code QueueRuntime.settle} marks the invocation finished (and
   * wakes {@code shutdown()}) under the queue lock, but moves the dead letters to their queue only
   * after releasing it. A {@code close()} that runs in between sees every queue idle, counts the
   * dead-letter queue before the letters arrive, and its report leaves them out: the source queue
   * counts them {@code deadLettered}, the report counts them nowhere, yet they sit in the
   * dead-letter queue afterwards. Here the listener (called between the two steps, on the delivery
   * thread) holds that thread until {@code close()} has returned.
   */
  @Test
  void deadLettersMovingAtCloseAreReported() throws Exception {
    CountDownLatch deadLettered = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    QueueListener listener = event -> {
      if (event instanceof QueueEvent.DeadLettered) {
        deadLettered.countDown();
        try {
          closed.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // close() stops the delivery threads: let go
        }
      }
    };
    QueueEngine engine = QueueEngine.builder().listener(listener).build();
    engine.declareQueue("src");
    engine.consume("src", String.class, ConsumerSettings.builder().maxBatchTimeout(Duration.ZERO)
        .maxRetries(0).deadLetterQueue("dlq").build(), (batch, ctx) -> {
          throw new IllegalStateException("poison");
        });
    engine.<String>queue("src").send("poison").join();
    assertThat(deadLettered.await(10, TimeUnit.SECONDS)).isTrue();
    ShutdownReport report =
        ReliabilityClose.shutdownWithin(engine, Duration.ofSeconds(5), Duration.ofSeconds(10));
    closed.countDown();
    assertThat(engine.stats("src").deadLettered()).isEqualTo(1);
    assertThat(report.undelivered())
        .as("the dead letter is somewhere: acked, dropped, or undelivered at close")
        .isEqualTo(1);
  }

  // ---- close() racing the last settlement of a queue

  /** A scheduler that pauses a chosen thread inside {@code schedule()}, under a queue lock. */
  private static final class GatedScheduler implements Scheduler {
    private final java.util.concurrent.ScheduledThreadPoolExecutor timer =
        new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
          Thread t = new Thread(r, "reliability-timer");
          t.setDaemon(true);
          return t;
        });
    volatile @org.jspecify.annotations.Nullable Thread gated;
    final CountDownLatch paused = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public Cancellable schedule(java.time.Instant at, Runnable task) {
      if (Thread.currentThread() == gated) {
        gated = null;
        paused.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      long delay = Math.max(0, at.toEpochMilli() - System.currentTimeMillis());
      var future = timer.schedule(task, delay, TimeUnit.MILLISECONDS);
      return () -> future.cancel(false);
    }
  }

  /** True once {@code thread} is parked acquiring a lock (not waiting on a condition). */
  private static boolean blockedOnALock(Thread thread) {
    Object blocker = java.util.concurrent.locks.LockSupport.getBlocker(thread);
    return blocker instanceof java.util.concurrent.locks.AbstractQueuedSynchronizer;
  }

  private static boolean waitingOnACondition(Thread thread) {
    Object blocker = java.util.concurrent.locks.LockSupport.getBlocker(thread);
    return blocker instanceof java.util.concurrent.locks.AbstractQueuedSynchronizer.ConditionObject;
  }

  private static void await(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Object monitor = new Object();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting until %s", what).isLessThan(deadline);
      synchronized (monitor) {
        monitor.wait(1); // re-checks another thread's state; no time needs to pass
      }
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The engine's queue map iterates in hash order: a name {@code shutdown()} checks after y. */
  private static String nameAfter(String... before) {
    for (int i = 0; i < 100; i++) {
      @SuppressWarnings("UnnecessaryAsync") // the same type as the engine's map: same order
      java.util.Map<String, Boolean> map = new java.util.concurrent.ConcurrentHashMap<>();
      for (String b : before) {
        map.put(b, true);
      }
      String candidate = "x" + i;
      map.put(candidate, true);
      List<String> order = new ArrayList<>(map.keySet());
      if (order.indexOf(candidate) > order.indexOf("y")) {
        return candidate;
      }
    }
    throw new AssertionError("no name sorts after y");
  }

  /**
   * Was an engine bug, now fixed: lock-order inversion between {@code shutdown()} and settlement.
   * {@code EngineContext.awaitIdle} holds {@code idleLock} while {@code allIdle()} takes each queue
   * lock (idleLock, then a queue lock, as CONCURRENCY.md prescribes), but {@code
   * QueueRuntime.finishLocked}, running under a queue lock, calls {@code signalIdle()}, which takes
   * {@code idleLock} (a queue lock, then idleLock). When the last invocation of queue x settles
   * while {@code shutdown()} is checking the queues, each thread waits for the other's lock
   * forever: {@code close()} never returns, whatever its grace period. The load test hit it at
   * random; here the interleaving is forced: a dead letter moving into y pauses (in the injected
   * scheduler, under y's lock) until {@code shutdown()} holds idleLock and waits for y's lock, and
   * the settlement of x has taken x's lock and waits for idleLock.
   */
  @Test
  void closeDoesNotDeadlockWithTheLastSettlementOfAQueue() throws Exception {
    GatedScheduler scheduler = new GatedScheduler();
    QueueEngine engine = QueueEngine.builder().scheduler(scheduler).build();
    String x = nameAfter("s", "y");
    engine.declareQueue("s");
    engine.declareQueue("y"); // s's dead-letter queue, no consumer
    engine.declareQueue(x);
    CompletableFuture<Void> stageS = new CompletableFuture<>();
    CompletableFuture<Void> stageX = new CompletableFuture<>();
    CountDownLatch inFlight = new CountDownLatch(2);
    engine.consume("s", String.class, ConsumerSettings.builder().maxBatchTimeout(Duration.ZERO)
        .maxRetries(0).deadLetterQueue("y").build(), (batch, ctx) -> {
          ctx.waitUntil(stageS);
          inFlight.countDown();
        });
    engine.consume(x, String.class, ConsumerSettings.builder().maxBatchTimeout(Duration.ZERO)
        .build(), (batch, ctx) -> {
          ctx.waitUntil(stageX);
          inFlight.countDown();
        });
    engine.<String>queue("s").send("to be dead-lettered").join();
    engine.<String>queue(x).send("last of its queue").join();
    assertThat(inFlight.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<ShutdownReport> report = new CompletableFuture<>();
    Thread closer = daemon("reliability-closer", () -> report.complete(
        engine.shutdown(Duration.ofSeconds(10))));
    await("close() waits for the invocations", () -> waitingOnACondition(closer));

    Thread t1 = daemon("reliability-settle-s", () -> {
      scheduler.gated = Thread.currentThread();
      stageS.completeExceptionally(new IllegalStateException("poison"));
    });
    assertThat(scheduler.paused.await(10, TimeUnit.SECONDS)).as("dead letter moving into y")
        .isTrue();
    // Before the fix, close() held idleLock here and waited for y's lock; now it sees the dead
    // letter in transit and waits on its condition without taking queue locks.
    await("close() waits", () -> blockedOnALock(closer) || waitingOnACondition(closer));
    Thread t2 = daemon("reliability-settle-x", () -> stageX.complete(null));
    // Before the fix, x's settlement held x's lock while waiting for idleLock: a deadlock. Now it
    // either finishes or waits for idleLock holding no queue lock.
    await("x's settlement finished or waits holding no queue lock",
        () -> !t2.isAlive() || blockedOnALock(t2));
    scheduler.release.countDown();
    try {
      ShutdownReport done = report.get(5, TimeUnit.SECONDS);
      assertThat(done.abandonedInvocations()).isZero();
      assertThat(done.undeliveredByQueue()).containsEntry("y", 1L);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("close() deadlocked with the settlement of queue '" + x + "'\n"
          + ReliabilityClose.stacks(), e);
    }
    t1.join(5_000);
  }
}
