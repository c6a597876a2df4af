package io.queues4j.testkit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queues4j.Queue;
import io.queues4j.QueueHandler;
import io.queues4j.QueueNotFoundException;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.DeadLetter;
import io.queues4j.core.QueueEngine;
import io.queues4j.core.QueueLimits;
import io.queues4j.core.QueueSettings;
import io.queues4j.core.QueueStats;
import io.queues4j.core.Scheduler;
import io.queues4j.core.ShutdownReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The real {@link QueueEngine} on virtual time with same-thread delivery, for deterministic tests
 * of code that sends to and consumes from queues.
 *
 * <pre>{@code
 * try (QueueTestKit kit = QueueTestKit.create()) {
 *   kit.consume("orders", Order.class, settings, handler);
 *   kit.<Order>queue("orders").send(new Order(1));
 *   kit.runUntilIdle();                        // batch timeout, retries and delays, instantly
 *   assertEquals(1, kit.history().deliveries("orders").size());
 * }                                            // strict: fails if a message is not settled
 * }</pre>
 *
 * <p><b>Time and delivery.</b> Nothing happens on its own: a send only queues the message (and may
 * claim a full batch); handlers run, and timers fire, only inside {@link #advance(Duration)} and
 * {@link #runUntilIdle()}, on the calling thread, one invocation at a time, in a defined order: at
 * each instant, queued invocations and tasks run first-in first-out, then timers due at that
 * instant in the order they were set; then time moves to the next timer. The same test therefore
 * produces the same deliveries, with the same message ids, on every run. Handlers see time stand
 * still: a handler can time out only through a {@code waitUntil} stage still pending when time
 * reaches its deadline.
 *
 * <p><b>Asynchronous work.</b> Give {@link #executor()} to the code under test (for example to
 * {@code CompletableFuture.supplyAsync(supplier, kit.executor())}) so that {@code waitUntil}
 * stages complete deterministically inside {@code advance}/{@code runUntilIdle}; a stage
 * completed by a thread of its own completes whenever that thread gets to it.
 *
 * <p><b>Strictness.</b> By default {@link #close()} fails with an {@link AssertionError} that
 * lists every message still queued, in flight or held as a dead letter, with its body and the
 * line of code that sent it, and every handler invocation that failed with an {@link Error} (such
 * as a failed assertion inside a handler, which the engine would otherwise just retry). Opt out
 * with {@link Builder#strict(boolean)}.
 *
 * <p><b>Thread-safety:</b> sends, {@link #history()} and inspection may be used from any thread;
 * {@link #advance} and {@link #runUntilIdle} must be called by one thread at a time and never from
 * a handler. Each kit owns its engine; create one per test.
 */
public final class QueueTestKit implements AutoCloseable {
  private final VirtualTime time;
  private final Recorder recorder = new Recorder();
  private final QueueHistory history = new QueueHistory(recorder);
  private final QueueEngine engine;
  private final boolean strict;
  private final boolean autoDeclare;
  private volatile boolean closed;

  private QueueTestKit(Builder b) {
    this.time = new VirtualTime(b.clock != null ? b.clock : ManualClock.create(), b.stepLimit);
    this.strict = b.strict;
    this.autoDeclare = b.autoDeclare;
    QueueEngine.Builder engineBuilder =
        QueueEngine.builder()
            .clock(time.clock)
            .messageIdSeed(0) // the same test gives the same message ids
            .scheduler(time.scheduler)
            .executor(time.executor)
            .listener(recorder)
            .limits(b.limits)
            // nothing may depend on the machine: not the processor count, not the heap size
            .defaultMaxConcurrency(b.defaultMaxConcurrency)
            .backlogMemoryLimit(b.backlogMemoryLimit)
            .shutdownGracePeriod(Duration.ZERO);
    if (b.mapper != null) {
      engineBuilder.objectMapper(b.mapper);
    }
    this.engine = engineBuilder.build();
  }

  /**
   * Returns a strict kit with a {@link ManualClock} at {@link ManualClock#DEFAULT_START},
   * Cloudflare's limits and a plain Jackson mapper.
   *
   * @return a new kit
   */
  public static QueueTestKit create() {
    return builder().build();
  }

  /**
   * Returns a builder with the defaults of {@link #create()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---- queues ----

  /**
   * Returns the real engine behind the kit, on the kit's virtual time, for testing production
   * wiring as it is: hand it to the code that declares queues and attaches consumers ({@code
   * wire(kit.engine())}), then drive time with {@link #advance} and {@link #runUntilIdle}. Its
   * {@link QueueEngine#shutdown(Duration) shutdown(grace)} runs on virtual time too: in-flight
   * handlers, timers and retries up to the end of the grace period happen at once, so graceful
   * shutdown is testable without waiting. Sends through the engine's own bindings are recorded
   * in {@link #history()} without their bodies; those through {@link #queue} keep them.
   *
   * @return the engine; do not close it while the kit is open unless the test is about shutdown
   */
  public QueueEngine engine() {
    return engine;
  }

  /**
   * Declares a queue with default settings, as {@link QueueEngine#declareQueue(String)} does.
   *
   * @param queue the queue name, not blank
   * @throws IllegalStateException if the queue exists with other settings, or the kit is closed
   */
  public void declareQueue(String queue) {
    checkOpen();
    engine.declareQueue(queue);
  }

  /**
   * Declares a queue, as {@link QueueEngine#declareQueue(String, QueueSettings)} does.
   *
   * @param queue the queue name, not blank
   * @param settings the queue's settings
   * @throws IllegalStateException if the queue exists with other settings, or the kit is closed
   */
  public void declareQueue(String queue, QueueSettings settings) {
    checkOpen();
    engine.declareQueue(queue, settings);
  }

  /**
   * Returns a producer binding to a declared queue (or to any queue, declared with defaults, if
   * the kit was built with {@link Builder#autoDeclare(boolean) autoDeclare}). Sends through it
   * are recorded with their bodies and options, and validated exactly as in production: a failed
   * send completes its future exceptionally and records nothing.
   *
   * @param queue the queue name, not blank
   * @param <B> the body type
   * @return the binding; safe to share and to use from any thread
   * @throws QueueNotFoundException if the queue is not declared (as in production)
   * @throws IllegalStateException if the kit is closed
   */
  public <B> Queue<B> queue(String queue) {
    checkOpen();
    ensureDeclared(queue);
    return new RecordingQueue<>(engine.<B>queue(queue), recorder);
  }

  /**
   * Attaches the consumer of a declared queue (see {@link #queue} for {@code autoDeclare}). A
   * dead-letter queue named in {@code settings} is declared with defaults if needed, as the engine
   * does. Settings that leave {@code maxConcurrency} unset get 1 (see {@link
   * Builder#defaultMaxConcurrency}), so a test gives the same result on every machine.
   *
   * @param queue the queue name
   * @param bodyType the class bodies are decoded into
   * @param settings the consumer settings
   * @param handler the handler; it runs on the thread that calls {@link #advance} or {@link
   *     #runUntilIdle}
   * @param <B> the body type
   * @throws QueueNotFoundException if the queue is not declared (as in production)
   * @throws IllegalStateException if the queue already has a consumer, the dead-letter chain
   *     loops, or the kit is closed
   */
  public <B> void consume(
      String queue, Class<B> bodyType, ConsumerSettings settings, QueueHandler<B> handler) {
    checkOpen();
    ensureDeclared(queue);
    engine.consume(queue, bodyType, settings, handler);
  }

  /**
   * Attaches the consumer of a queue for a generic body type such as {@code List<Order>}; see
   * {@link #consume(String, Class, ConsumerSettings, QueueHandler)}.
   *
   * @param queue the queue name
   * @param bodyType the type bodies are decoded into
   * @param settings the consumer settings
   * @param handler the handler
   * @param <B> the body type
   * @throws QueueNotFoundException if the queue is not declared (as in production)
   * @throws IllegalStateException if the queue already has a consumer, the dead-letter chain
   *     loops, or the kit is closed
   */
  public <B> void consume(
      String queue, TypeReference<B> bodyType, ConsumerSettings settings, QueueHandler<B> handler) {
    checkOpen();
    ensureDeclared(queue);
    engine.consume(queue, bodyType, settings, handler);
  }

  /**
   * Attaches the consumer of a queue with Cloudflare's default settings (batches of 10, a 5 s
   * batch timeout, 3 retries, no retry delay, no dead-letter queue), except that {@code
   * maxConcurrency} is 1 so that results do not depend on the machine's processor count.
   *
   * @param queue the queue name
   * @param bodyType the class bodies are decoded into
   * @param handler the handler
   * @param <B> the body type
   * @throws QueueNotFoundException if the queue is not declared (as in production)
   * @throws IllegalStateException if the queue already has a consumer or the kit is closed
   */
  public <B> void consume(String queue, Class<B> bodyType, QueueHandler<B> handler) {
    consume(
        queue, bodyType, ConsumerSettings.defaults().toBuilder().maxConcurrency(1).build(), handler);
  }

  private void ensureDeclared(String queue) {
    try {
      engine.stats(queue);
    } catch (QueueNotFoundException e) {
      if (!autoDeclare) {
        throw e;
      }
      engine.declareQueue(queue);
    }
  }

  // ---- time ----

  /**
   * Moves time forward by {@code duration}, stopping at every timer on the way (batch timeouts,
   * delayed messages, retry delays, handler deadlines) and running everything due there, handlers
   * included, before moving on. {@code advance(Duration.ZERO)} runs what is due now.
   *
   * @param duration how far, zero or more; millisecond resolution
   * @throws IllegalArgumentException if {@code duration} is negative
   * @throws IllegalStateException if called from a handler, if the kit is closed, or if work
   *     never stops (more than {@link Builder#stepLimit} tasks)
   */
  public void advance(Duration duration) {
    requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time only moves forward but duration was " + duration);
    }
    checkOpen();
    time.advance(duration);
  }

  /**
   * Runs what is due now, then moves time from timer to timer until every queue that has a
   * consumer is empty with nothing in flight: every batch timeout, delay, retry delay and handler
   * deadline happens, instantly. Messages on queues without a consumer stay where they are. Time
   * stops at the last thing that happened, not at a timer that no longer matters.
   *
   * @throws IllegalStateException if called from a handler, if the kit is closed, or if work
   *     never stops (more than {@link Builder#stepLimit} tasks)
   */
  public void runUntilIdle() {
    checkOpen();
    time.runUntilIdle(this::idle);
  }

  private boolean idle() {
    if (!time.executor.isEmpty()) {
      return false;
    }
    for (String queue : engine.queueNames()) { // consumers attached by user wiring count too
      QueueStats stats = engine.stats(queue);
      if (stats.inFlightBatches() > 0 || (stats.consumed() && stats.metrics().backlogCount() > 0)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the current time of the kit's clock.
   *
   * @return the time
   */
  public Instant now() {
    return time.clock.instant();
  }

  /**
   * Returns the kit's clock, to hand to the code under test so that it shares the queues' time.
   *
   * @return the clock
   */
  public ManualClock clock() {
    return time.clock;
  }

  /**
   * Returns timers on the kit's virtual time, for the code under test: a task scheduled at an
   * instant runs inside {@link #advance} or {@link #runUntilIdle} when the kit's clock reaches it,
   * interleaved with the engine's own timers in the order they were set.
   *
   * @return the scheduler; {@code schedule} is safe from any thread
   */
  public Scheduler scheduler() {
    return time.scheduler;
  }

  /**
   * Returns an executor whose tasks run inside {@link #advance} and {@link #runUntilIdle}, in
   * submission order, interleaved with deliveries; see the class description.
   *
   * @return the executor; {@code execute} is safe from any thread
   */
  public Executor executor() {
    return time.executor;
  }

  // ---- inspection ----

  /**
   * Returns the recorded history of this kit.
   *
   * @return the history, live: each call on it returns a fresh snapshot
   */
  public QueueHistory history() {
    return history;
  }

  /**
   * Returns the engine's counters and metrics for a queue.
   *
   * @param queue the queue name
   * @return a snapshot
   * @throws QueueNotFoundException if the queue is not declared
   */
  public QueueStats stats(String queue) {
    return engine.stats(queue);
  }

  /**
   * Returns the dead letters a queue without a consumer holds, oldest first, without removing
   * them; they still count as unsettled for strict close.
   *
   * @param queue the dead-letter queue's name
   * @return a snapshot
   * @throws QueueNotFoundException if the queue is not declared
   */
  public List<DeadLetter> deadLetters(String queue) {
    return engine.deadLetters(queue);
  }

  /**
   * Removes and returns the dead letters a queue without a consumer holds, oldest first; drained
   * dead letters count as settled.
   *
   * @param queue the dead-letter queue's name
   * @return the dead letters, possibly none
   * @throws QueueNotFoundException if the queue is not declared
   */
  public List<DeadLetter> drainDeadLetters(String queue) {
    List<DeadLetter> letters = engine.drainDeadLetters(queue);
    recorder.forget(letters.stream().map(DeadLetter::id).toList());
    return letters;
  }

  // ---- strictness and lifecycle ----

  /**
   * Fails if a message is still queued, in flight or held as a dead letter, or if a handler
   * failed with an {@link Error}; what strict {@link #close()} checks, callable at any time.
   *
   * @throws AssertionError listing each such message (body, queue, when and where it was sent)
   *     and each such failure; its cause is the first handler {@code Error}, if any
   */
  public void checkSettled() {
    String problems = recorder.problems();
    if (problems != null) {
      throw failure(problems);
    }
  }

  private AssertionError failure(String problems) {
    List<Throwable> errors = recorder.handlerErrors();
    AssertionError error = new AssertionError("QueueTestKit: " + problems);
    if (!errors.isEmpty()) {
      error.initCause(errors.get(0));
    }
    return error;
  }

  /**
   * Shuts the engine down without running anything further. When strict (the default), then
   * fails as {@link #checkSettled()} does. Calling it again does nothing.
   *
   * @throws AssertionError if strict and a message is not settled or a handler failed with an
   *     {@link Error}
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    String problems = strict ? recorder.problems() : null;
    time.freeze(); // close runs nothing further, not even what is due now
    ShutdownReport report = engine.shutdown(Duration.ZERO);
    time.clear();
    if (problems != null) {
      throw failure(problems);
    }
    if (strict && !report.clean()) {
      throw new AssertionError(
          "QueueTestKit: the engine reports messages not settled: " + report.undeliveredByQueue()
              + " and " + report.abandonedInvocations() + " invocations in flight");
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this QueueTestKit is closed");
    }
  }

  @Override
  public String toString() {
    return "QueueTestKit[" + now() + (strict ? ", strict" : "") + (closed ? ", closed" : "") + "]";
  }

  /** Builds a {@link QueueTestKit}. Not thread-safe. */
  public static final class Builder {
    private @Nullable ManualClock clock;
    private @Nullable ObjectMapper mapper;
    private QueueLimits limits = QueueLimits.cloudflare();
    private boolean strict = true;
    private boolean autoDeclare;
    private int stepLimit = 100_000;
    private int defaultMaxConcurrency = 1;
    private long backlogMemoryLimit = 256L * 1024 * 1024;

    private Builder() {}

    /**
     * Sets whether {@link QueueTestKit#queue} and {@link QueueTestKit#consume} declare a missing
     * queue with default settings. Off by default, so that a test fails, as production would,
     * when the code under test forgets to declare a queue.
     *
     * @param autoDeclare whether to declare missing queues
     * @return this builder
     */
    public Builder autoDeclare(boolean autoDeclare) {
      this.autoDeclare = autoDeclare;
      return this;
    }

    /**
     * Sets the {@code maxConcurrency} of consumers whose settings leave it unset; 1 by default
     * (in production it follows the processor count, which would make results depend on the
     * machine).
     *
     * @param maxConcurrency 1..250
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder defaultMaxConcurrency(int maxConcurrency) {
      if (maxConcurrency < 1 || maxConcurrency > 250) {
        throw new IllegalArgumentException(
            "defaultMaxConcurrency must be in [1, 250] but was " + maxConcurrency);
      }
      this.defaultMaxConcurrency = maxConcurrency;
      return this;
    }

    /**
     * Sets the engine's backlog memory budget; 256 MiB by default (in production a quarter of
     * the heap, which would make refusals depend on the machine).
     *
     * @param bytes at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes < 1}
     */
    public Builder backlogMemoryLimit(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("backlogMemoryLimit must be at least 1 but was " + bytes);
      }
      this.backlogMemoryLimit = bytes;
      return this;
    }

    /**
     * Sets the clock, for example one already given to the code under test. By default a new
     * clock at {@link ManualClock#DEFAULT_START}.
     *
     * @param clock the clock; the kit moves it
     * @return this builder
     */
    public Builder clock(ManualClock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the Jackson mapper that encodes and decodes JSON bodies, as in production.
     *
     * @param mapper the mapper
     * @return this builder
     */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * Sets the size limits of sends; Cloudflare's by default.
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder limits(QueueLimits limits) {
      this.limits = requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Sets whether {@link QueueTestKit#close()} fails when a message is not settled or a handler
     * failed with an {@link Error}; {@code true} by default.
     *
     * @param strict whether to check at close
     * @return this builder
     */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * Sets how many tasks one call of {@code advance} or {@code runUntilIdle} may run before it
     * gives up, which catches consumers that keep producing work forever; 100,000 by default.
     *
     * @param stepLimit at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code stepLimit < 1}
     */
    public Builder stepLimit(int stepLimit) {
      if (stepLimit < 1) {
        throw new IllegalArgumentException("stepLimit must be at least 1 but was " + stepLimit);
      }
      this.stepLimit = stepLimit;
      return this;
    }

    /**
     * Builds the kit.
     *
     * @return a new, open kit
     */
    public QueueTestKit build() {
      return new QueueTestKit(this);
    }
  }
}
