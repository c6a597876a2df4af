package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.NullNode;
import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.QueueSendResult;
import io.queues4j.StorageLimitExceededException;
import io.queues4j.TooManyMessagesException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's engine defects, one test each (numbered as in the issue), plus what the sweep of each
 * defect's family found. Each test failed before its fix.
 */
class HardeningTest {

  private static final ConsumerSettings ONE_AT_A_TIME =
      ConsumerSettings.builder().maxBatchSize(1).maxBatchTimeout(Duration.ZERO).maxConcurrency(1)
          .build();

  // ---- 1. a listener that throws an Error ----

  @Test
  void d1_listenerErrorOnDeadLetteredStillMovesTheMessage() {
    VirtualTime time = new VirtualTime();
    QueueEngine engine = virtualEngine(time, event -> {
      if (event instanceof QueueEvent.DeadLettered) {
        throw new AssertionError("listener bug");
      }
    });
    engine.declareQueue("jobs");
    engine.consume("jobs", String.class,
        ONE_AT_A_TIME.toBuilder().maxRetries(0).deadLetterQueue("jobs-dlq").build(),
        (batch, ctx) -> {
          throw new IllegalStateException("poison");
        });
    engine.<String>queue("jobs").send("x").join();
    time.runUntilIdle();

    assertThat(engine.deadLetters("jobs-dlq")).hasSize(1);
    ShutdownReport report = engine.shutdown(Duration.ZERO);
    assertThat(report.abandonedInvocations()).isZero();
    assertThat(report.undeliveredByQueue()).containsEntry("jobs-dlq", 1L).hasSize(1);
  }

  @Test
  void d1_listenerErrorOnSentDoesNotFailTheSend() {
    VirtualTime time = new VirtualTime();
    QueueEngine engine = virtualEngine(time, event -> {
      if (event instanceof QueueEvent.Sent) {
        throw new AssertionError("listener bug");
      }
    });
    engine.declareQueue("jobs");
    AtomicInteger handled = new AtomicInteger();
    engine.consume("jobs", String.class, ONE_AT_A_TIME, (batch, ctx) -> handled.incrementAndGet());

    CompletableFuture<QueueSendResult> sent = engine.<String>queue("jobs").send("x");
    time.runUntilIdle();

    assertThat(sent).isCompleted();
    assertThat(handled).hasValue(1);
    assertThat(engine.stats("jobs").acked()).isEqualTo(1);
    assertThat(engine.stats("jobs").inFlightBatches()).isZero();
  }

  // ---- 2. the same-thread executor ----

  @Test
  void d2_sameThreadExecutorDeliversALongBacklogWithoutGrowingTheStack() {
    int messages = 20_000;
    try (QueueEngine engine = TestStores.engine().executor(Runnable::run).build()) {
      engine.declareQueue("jobs");
      Queue<Integer> jobs = engine.queue("jobs");
      for (int i = 0; i < messages; i += 100) {
        List<MessageSendRequest<Integer>> batch = new java.util.ArrayList<>();
        for (int j = i; j < i + 100; j++) {
          batch.add(MessageSendRequest.of(j));
        }
        jobs.sendBatch(batch).join();
      }
      AtomicInteger handled = new AtomicInteger();
      int[] deepest = new int[1];
      engine.consume("jobs", Integer.class, ONE_AT_A_TIME, (batch, ctx) -> {
        handled.incrementAndGet();
        deepest[0] = Math.max(deepest[0], Thread.currentThread().getStackTrace().length);
      });

      assertThat(handled).hasValue(messages); // all inside consume(), on this thread
      assertThat(engine.stats("jobs").acked()).isEqualTo(messages);
      assertThat(deepest[0]).as("stack depth of the handler").isLessThan(200);
    }
  }

  // ---- 3. the shutdown report and dead letters in transit ----

  @Test
  void d3_shutdownReportCountsEveryDeadLetterWhereItLands() throws Exception {
    // Threads shared by every round, so that a round costs about a millisecond: the race ran
    // about once in 100 to 1,000 closes.
    ExecutorService delivery = Executors.newFixedThreadPool(4);
    java.util.concurrent.ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor();
    Scheduler scheduler = (at, task) -> {
      var f = timer.schedule(
          task, Math.max(0, at.toEpochMilli() - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      return () -> f.cancel(false);
    };
    ExecutorService producers = Executors.newFixedThreadPool(2);
    int queues = 12;
    try {
      for (int round = 0; round < 2_000; round++) {
        QueueEngine engine =
            TestStores.engine().executor(delivery).scheduler(scheduler).build();
        for (int q = 0; q < queues; q++) {
          engine.declareQueue("q" + q);
          engine.consume("q" + q, String.class,
              ConsumerSettings.builder().maxBatchSize(1).maxBatchTimeout(Duration.ZERO)
                  .maxRetries(0).deadLetterQueue("dlq" + q).maxConcurrency(4).build(),
              (batch, ctx) -> {
                throw new IllegalStateException("poison");
              });
        }
        CountDownLatch started = new CountDownLatch(2);
        List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
        for (int p = 0; p < 2; p++) {
          running.add(producers.submit(() -> {
            started.countDown();
            for (int i = 0; ; i++) { // until the engine refuses: sends continue during shutdown
              if (engine.<String>queue("q" + (i % queues)).send("m" + i)
                  .isCompletedExceptionally()) {
                return;
              }
            }
          }));
        }
        started.await();
        ShutdownReport report = engine.shutdown(Duration.ofSeconds(10));
        for (java.util.concurrent.Future<?> f : running) {
          f.get(10, TimeUnit.SECONDS);
        }
        for (int q = 0; q < queues; q++) {
          long held = engine.stats("dlq" + q).metrics().backlogCount();
          assertThat(report.undeliveredByQueue().getOrDefault("dlq" + q, 0L))
              .as("round %s: dead letters of dlq%s in the report vs held", round, q)
              .isEqualTo(held);
        }
        assertThat(report.abandonedInvocations()).isZero();
      }
    } finally {
      producers.shutdownNow();
      delivery.shutdownNow();
      timer.shutdownNow();
      assertThat(producers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  // ---- 4. sends waiting for room are bounded ----

  @Test
  void d4_waitingSendsHaveABudgetAndAreRefusedBeyondIt() {
    VirtualTime time = new VirtualTime();
    QueueEngine engine =
        TestStores.engine().clock(time).scheduler(time).executor(time)
            .backlogMemoryLimit(1_000_000).waitingSendsMemoryLimit(500_000).build();
    engine.declareQueue("big");
    Queue<byte[]> waiting = engine.queue("big", Duration.ofMinutes(10));
    byte[] body = new byte[100_000];
    int accepted = 0;
    int waitingCount = 0;
    Throwable refusal = null;
    for (int i = 0; i < 1_500 && refusal == null; i++) {
      CompletableFuture<QueueSendResult> f =
          waiting.send(body, io.queues4j.QueueSendOptions.contentType(
              io.queues4j.QueueContentType.BYTES));
      if (f.isCompletedExceptionally()) {
        refusal = EngineFixture.failure(f);
      } else if (f.isDone()) {
        accepted++;
      } else {
        waitingCount++;
      }
    }
    assertThat(accepted).isEqualTo(9); // 9 x (100,000 + 100) fit in 1,000,000
    assertThat(waitingCount).isEqualTo(4); // 4 x 100,100 fit in 500,000
    assertThat(refusal)
        .isInstanceOf(StorageLimitExceededException.class)
        .hasMessageContaining("waiting send bytes")
        .hasMessageContaining("500000");
    assertThat(engine.stats("big").waitingSends()).isEqualTo(4);
    engine.shutdown(Duration.ZERO);
  }

  // ---- 5. sendBatch stops at the first message too many ----

  @Test
  void d5_sendBatchReadsAnEndlessIterableOnlyUpToTheLimit() {
    try (EngineFixture f = new EngineFixture()) {
      Queue<String> jobs = f.declare("jobs");
      AtomicLong pulled = new AtomicLong();
      Iterable<MessageSendRequest<String>> endless = () -> new Iterator<>() {
        @Override
        public boolean hasNext() {
          return true;
        }

        @Override
        public MessageSendRequest<String> next() {
          return MessageSendRequest.of("m" + pulled.incrementAndGet());
        }
      };
      Throwable failure = EngineFixture.failure(jobs.sendBatch(endless));
      assertThat(failure)
          .isInstanceOf(TooManyMessagesException.class)
          .hasMessageContaining("at least 101 exceeds limit of 100");
      assertThat(pulled).hasValue(101);
      assertThat(f.engine.stats("jobs").metrics().backlogCount()).isZero();
    }
  }

  // ---- 6. close() from inside a handler ----

  @Test
  void d6_closeFromAHandlerDoesNotWaitForItself() throws Exception {
    CountDownLatch acked = new CountDownLatch(1);
    QueueEngine engine =
        TestStores.engine()
            .listener(e -> {
              if (e instanceof QueueEvent.Acked) {
                acked.countDown();
              }
            })
            .shutdownGracePeriod(Duration.ofSeconds(30))
            .build();
    engine.declareQueue("jobs");
    CompletableFuture<ShutdownReport> report = new CompletableFuture<>();
    engine.consume("jobs", String.class, ONE_AT_A_TIME, (batch, ctx) -> {
      long start = System.nanoTime();
      ShutdownReport r = engine.shutdown(Duration.ofSeconds(30));
      if (TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 10) {
        report.complete(r);
      } else {
        report.completeExceptionally(new AssertionError("close() waited for its own caller"));
      }
    });
    engine.<String>queue("jobs").send("x").join();

    ShutdownReport r = report.get(20, TimeUnit.SECONDS);
    assertThat(r.abandonedInvocations()).isZero();
    assertThat(r.undeliveredByQueue()).isEmpty();
    assertThat(acked.await(10, TimeUnit.SECONDS)).as("acked after close() returned").isTrue();
    assertThat(engine.stats("jobs").acked()).isEqualTo(1);
  }

  // ---- 7. durations too long to represent ----

  @Test
  void d7_foreverDurationsSaturateInsteadOfOverflowing() {
    Duration forever = ChronoUnit.FOREVER.getDuration();
    QueueEngine engine =
        TestStores.engine().shutdownGracePeriod(Duration.ofSeconds(Long.MAX_VALUE)).build();
    engine.declareQueue("jobs", QueueSettings.builder().maxBacklogMessages(1).build());
    Queue<String> patient = engine.queue("jobs", forever);
    assertThat(patient.send("first")).isCompleted();
    CompletableFuture<QueueSendResult> waits =
        engine.<String>queue("jobs", Duration.ofMillis(Long.MAX_VALUE)).send("second");
    assertThat(waits).as("waits for room instead of failing at once").isNotDone();

    ShutdownReport report = engine.shutdown(forever); // nothing in flight: returns at once
    assertThat(report.undeliveredByQueue()).containsEntry("jobs", 1L);
    assertThat(EngineFixture.failure(waits)).isInstanceOf(io.queues4j.QueueClosedException.class);
    engine.close(); // the builder's huge grace period: the same report, no exception
  }

  @Test
  void d7_negativeGracePeriodIsRejectedBeforeAnythingStops() {
    QueueEngine engine = TestStores.engine().build();
    engine.declareQueue("jobs");
    assertThatThrownBy(() -> engine.shutdown(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1S");
    assertThat(engine.<String>queue("jobs").send("still open")).isCompleted();
    engine.shutdown(Duration.ZERO);
  }

  // ---- 8. a message sent at the epoch ----

  @Test
  void d8_aMessageSentAtTheEpochStillExpires() {
    MutableClock clock = new MutableClock(0);
    VirtualTime time = new VirtualTime();
    QueueEngine engine =
        TestStores.engine().clock(clock).scheduler(time).executor(time).build();
    engine.declareQueue("old", QueueSettings.builder().retentionPeriod(Duration.ofSeconds(60))
        .build());
    engine.<String>queue("old").send("at the epoch").join();
    clock.millis = 61_000;
    engine.<String>queue("old").send("later").join(); // any event pumps the queue

    assertThat(engine.stats("old").expired()).isEqualTo(1);
    assertThat(engine.stats("old").metrics().backlogCount()).isEqualTo(1);
    engine.shutdown(Duration.ZERO);
  }

  // ---- 9. a clock before 1970 ----

  @Test
  void d9_aClockBefore1970IsRejectedAtBuildAndAtSend() {
    assertThatThrownBy(() -> TestStores.engine().clock(new MutableClock(-1_000)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1969-12-31T23:59:59Z");

    MutableClock clock = new MutableClock(0);
    VirtualTime time = new VirtualTime();
    QueueEngine engine =
        TestStores.engine().clock(clock).scheduler(time).executor(time).build();
    engine.declareQueue("jobs");
    clock.millis = -5;
    Queue<String> jobs = engine.queue("jobs");
    assertThatThrownBy(() -> jobs.send("x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before 1970");
    assertThatThrownBy(() -> jobs.sendBatch(List.of(MessageSendRequest.of("y"))))
        .isInstanceOf(IllegalStateException.class);
    assertThat(engine.stats("jobs").metrics().backlogCount()).isZero();
    assertThat(engine.stats("jobs").sent()).isZero();
    assertThat(engine.shutdown(Duration.ZERO).clean()).isTrue();
  }

  // ---- 10. an exception whose toString() throws ----

  @Test
  void d10_aFailureWhoseToStringThrowsStillSettlesTheBatch() {
    // WARN enabled, as in production: the failure log line is what used to throw
    try (ReliabilityLogs logs = ReliabilityLogs.capture(); EngineFixture f = new EngineFixture()) {
      f.declare("jobs");
      f.consume("jobs", ONE_AT_A_TIME.toBuilder().maxRetries(0).build(), (batch, ctx) -> {
        throw new HostileException();
      });
      f.engine.<String>queue("jobs").send("x").join();
      f.time.runUntilIdle(); // no time passes: a hung batch would wait for its handler timeout

      assertThat(f.engine.stats("jobs").dropped()).isEqualTo(1);
      assertThat(f.engine.stats("jobs").inFlightBatches()).isZero();
      assertThat(logs.matching("Handler of queue 'jobs' failed", "HostileException")).hasSize(1);
    }
  }

  /** An exception that cannot describe itself. */
  private static final class HostileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
      throw new IllegalStateException("toString() of a hostile exception");
    }

    @Override
    public String getMessage() {
      throw new IllegalStateException("getMessage() of a hostile exception");
    }
  }

  // ---- 11. a handler that ignores interruption ----

  @Test
  void d11_aHandlerThatIgnoresItsTimeoutKeepsItsSlot() throws Exception {
    VirtualTime time = new VirtualTime();
    ExecutorService threads = Executors.newCachedThreadPool();
    AtomicInteger submitted = new AtomicInteger();
    Executor counting = task -> {
      submitted.incrementAndGet();
      threads.execute(task);
    };
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch firstStarted = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    List<QueueEvent> events = new CopyOnWriteArrayList<>();
    CountDownLatch allAcked = new CountDownLatch(6);
    QueueEngine engine =
        TestStores.engine().clock(time).scheduler(time).executor(counting)
            .listener(e -> {
              events.add(e);
              if (e instanceof QueueEvent.Acked) {
                allAcked.countDown();
              }
            })
            .build();
    try {
      engine.declareQueue("jobs");
      engine.consume("jobs", String.class,
          ONE_AT_A_TIME.toBuilder().handlerTimeout(Duration.ofMillis(50)).build(),
          (batch, ctx) -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
              firstStarted.countDown();
              awaitUninterruptibly(release); // ignores the interrupt of its timeout
            } finally {
              running.decrementAndGet();
            }
          });
      for (int i = 0; i < 6; i++) {
        engine.<String>queue("jobs").send("m" + i).join();
      }
      assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
      time.advance(Duration.ofSeconds(1)); // 20 handler timeouts' worth

      assertThat(events).anyMatch(e -> e instanceof QueueEvent.BatchSettled s && s.timedOut());
      assertThat(submitted).as("no batch starts while the timed-out handler runs").hasValue(1);
      assertThat(engine.stats("jobs").inFlightBatches()).isEqualTo(1);

      release.countDown(); // from now on every handler returns at once
      assertThat(allAcked.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(mostAtOnce).hasValue(1);
    } finally {
      release.countDown();
      engine.shutdown(Duration.ofSeconds(5));
      threads.shutdownNow();
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- 12. the caller's interrupt flag ----

  @Test
  void d12_theSameThreadExecutorKeepsTheCallersInterruptFlag() {
    try (QueueEngine engine = TestStores.engine().executor(Runnable::run).build()) {
      engine.declareQueue("jobs");
      AtomicInteger handledInterrupted = new AtomicInteger();
      engine.consume("jobs", String.class, ONE_AT_A_TIME, (batch, ctx) -> {
        if (Thread.currentThread().isInterrupted()) {
          handledInterrupted.incrementAndGet();
        }
      });
      Thread.currentThread().interrupt();
      try {
        engine.<String>queue("jobs").send("x").join();
        assertThat(Thread.currentThread().isInterrupted()).as("caller's flag kept").isTrue();
      } finally {
        Thread.interrupted();
      }
      assertThat(engine.stats("jobs").acked()).isEqualTo(1);
      assertThat(handledInterrupted).as("the handler does not inherit it").hasValue(0);
    }
  }

  // ---- 13. a body that encodes to JSON null ----

  @Test
  void d13_aBodyThatEncodesToJsonNullIsRefusedLikeNull() {
    try (EngineFixture f = new EngineFixture()) {
      f.engine.declareQueue("jobs");
      Queue<Object> jobs = f.engine.queue("jobs");
      assertThatThrownBy(() -> jobs.send(NullNode.getInstance()))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("JSON null");
      assertThatThrownBy(() -> jobs.sendBatch(
              List.of(MessageSendRequest.of("fine"), MessageSendRequest.of(NullNode.getInstance()))))
          .isInstanceOf(NullPointerException.class);
      assertThat(f.engine.stats("jobs").metrics().backlogCount()).isZero();
    }
  }

  // ---- 14. the oldest-timestamp index after the clock steps back ----

  @Test
  void d14_lateTimestampsDoNotGrowTheRun() {
    TimestampIndex index = new TimestampIndex();
    for (long t = 1_000_000; t < 1_150_000; t++) {
      index.add(t);
    }
    int run = index.runLength();
    for (long t = 999_999; t > 850_000; t--) { // the clock stepped back: every add is late
      index.add(t);
    }
    assertThat(index.runLength()).as("late adds must not shift the sorted run").isEqualTo(run);
    assertThat(index.oldest()).isEqualTo(850_001);
    for (long t = 850_001; t < 1_000_000; t++) {
      index.remove(t);
    }
    assertThat(index.oldest()).isEqualTo(1_000_000);
  }

  // ---- the sweep ----

  @Test
  void sweep_anExecutorThatThrowsAnErrorDoesNotStrandTheBatch() {
    VirtualTime time = new VirtualTime();
    AtomicInteger calls = new AtomicInteger();
    Executor broken = task -> {
      if (calls.incrementAndGet() == 1) {
        throw new AssertionError("executor bug");
      }
      time.execute(task);
    };
    QueueEngine engine =
        TestStores.engine().clock(time).scheduler(time).executor(broken).build();
    engine.declareQueue("jobs");
    AtomicInteger handled = new AtomicInteger();
    engine.consume("jobs", String.class, ONE_AT_A_TIME, (batch, ctx) -> handled.incrementAndGet());
    engine.<String>queue("jobs").send("x").join();
    time.advance(Duration.ofSeconds(2)); // the refused batch comes back after 1 s

    assertThat(handled).hasValue(1);
    assertThat(engine.stats("jobs").acked()).isEqualTo(1);
    assertThat(engine.shutdown(Duration.ZERO).clean()).isTrue();
  }

  @Test
  void sweep_aStageWhoseWhenCompleteThrowsDoesNotHangTheBatch() {
    try (EngineFixture f = new EngineFixture()) {
      f.declare("jobs");
      f.consume("jobs", ONE_AT_A_TIME.toBuilder().maxRetries(0).build(), (batch, ctx) -> {
        ctx.waitUntil(new CompletableFuture<Void>() {
          @Override
          public CompletableFuture<Void> whenComplete(
              java.util.function.BiConsumer<? super Void, ? super Throwable> action) {
            throw new UnsupportedOperationException("a broken stage");
          }
        });
      });
      f.engine.<String>queue("jobs").send("x").join();
      f.time.runUntilIdle();

      assertThat(f.engine.stats("jobs").dropped()).isEqualTo(1);
      assertThat(f.engine.stats("jobs").inFlightBatches()).isZero();
    }
  }

  @Test
  void sweep_aSchedulerThatThrowsAnErrorDoesNotLoseClaimedWork() {
    VirtualTime time = new VirtualTime();
    Scheduler broken = (at, task) -> {
      throw new AssertionError("scheduler bug");
    };
    QueueEngine engine =
        TestStores.engine().clock(time).scheduler(broken).executor(time).build();
    engine.declareQueue("jobs");
    AtomicInteger handled = new AtomicInteger();
    engine.consume("jobs", String.class, ONE_AT_A_TIME, (batch, ctx) -> handled.incrementAndGet());
    engine.<String>queue("jobs").send("x").join(); // claims a batch, then asks for a wake-up
    time.runUntilIdle();

    assertThat(handled).hasValue(1);
    assertThat(engine.stats("jobs").acked()).isEqualTo(1);
  }

  @Test
  void typedBindingsCatchABodyTypeTheConsumerCannotRead() {
    try (EngineFixture f = new EngineFixture()) {
      f.engine.declareQueue("jobs");
      f.engine.consume("jobs", Integer.class, ONE_AT_A_TIME, (batch, ctx) -> { });
      assertThatThrownBy(() -> f.engine.queue("jobs", String.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("java.lang.Integer")
          .hasMessageContaining("java.lang.String");
      assertThat(f.engine.queue("jobs", Integer.class)).isNotNull();

      f.engine.declareQueue("later");
      f.engine.queue("later", String.class);
      assertThatThrownBy(() -> f.engine.consume("later", Integer.class, ONE_AT_A_TIME,
              (batch, ctx) -> { }))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("sends java.lang.String");
      f.engine.consume("later", Object.class, ONE_AT_A_TIME, (batch, ctx) -> { });
    }
  }

  @Test
  void deadLetterBodiesOfTextAndBytesDecodeAsStringAndBytes() {
    try (EngineFixture f = new EngineFixture()) {
      f.engine.declareQueue("jobs");
      f.engine.consume("jobs", Object.class,
          ONE_AT_A_TIME.toBuilder().maxRetries(0).deadLetterQueue("dlq").build(),
          (batch, ctx) -> {
            throw new IllegalStateException("poison");
          });
      Queue<Object> jobs = f.engine.queue("jobs");
      jobs.send("plain", io.queues4j.QueueSendOptions.contentType(
          io.queues4j.QueueContentType.TEXT)).join();
      jobs.send(new byte[] {1, 2}, io.queues4j.QueueSendOptions.contentType(
          io.queues4j.QueueContentType.BYTES)).join();
      f.time.runUntilIdle();

      List<DeadLetter> letters = f.engine.deadLetters("dlq");
      assertThat(letters).hasSize(2);
      assertThat(letters.get(0).body(Object.class)).isEqualTo("plain");
      assertThat(letters.get(1).body(Object.class)).isEqualTo(new byte[] {1, 2});
    }
  }

  @Test
  void defaultMaxConcurrencyComesFromTheEngine() {
    VirtualTime time = new VirtualTime();
    List<QueueEvent> events = new CopyOnWriteArrayList<>();
    QueueEngine engine =
        TestStores.engine().clock(time).scheduler(time).executor(time).defaultMaxConcurrency(3)
            .listener(events::add).build();
    engine.declareQueue("jobs");
    engine.consume("jobs", String.class,
        ConsumerSettings.builder().maxBatchSize(1).maxBatchTimeout(Duration.ZERO).build(),
        (batch, ctx) -> { });
    for (int i = 0; i < 10; i++) {
      engine.<String>queue("jobs").send("m" + i).join();
    }
    assertThat(engine.stats("jobs").inFlightBatches()).isEqualTo(3);
    time.runUntilIdle();
    assertThat(engine.stats("jobs").acked()).isEqualTo(10);
    assertThatThrownBy(() -> TestStores.engine().defaultMaxConcurrency(251))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("251");
  }

  private static QueueEngine virtualEngine(VirtualTime time, QueueListener listener) {
    return TestStores.engine().clock(time).scheduler(time).executor(time).listener(listener)
        .shutdownGracePeriod(Duration.ZERO).build();
  }

  /** A clock a test sets by hand, to any instant, before 1970 included. */
  private static final class MutableClock implements InstantSource {
    volatile long millis;

    MutableClock(long millis) {
      this.millis = millis;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }
}
