package io.queues4j.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queues4j.Queue;
import io.queues4j.QueueHandler;
import io.queues4j.QueueNotFoundException;
import io.queues4j.spi.MessageStore;
import io.queues4j.spi.StoredMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process Cloudflare Workers Queues engine: declare queues, send to them through {@link
 * Queue} bindings, and consume them with {@link QueueHandler}s, with the documented semantics of
 * the hosted service (limits, delays, batching, retries, dead-letter queues, metrics).
 *
 * <pre>{@code
 * try (QueueEngine engine = QueueEngine.builder().build()) {
 *   engine.declareQueue("jobs");
 *   engine.consume("jobs", Job.class, ConsumerSettings.defaults(), (batch, ctx) -> {
 *     for (Message<Job> message : batch.messages()) {
 *       run(message.body());
 *     }
 *   });
 *   Queue<Job> jobs = engine.queue("jobs");
 *   jobs.send(new Job("report")).join();
 * }
 * }</pre>
 *
 * <p><b>Delivery guarantee:</b> at-least-once. A message is redelivered when its invocation fails,
 * times out or retries it, up to {@code maxRetries + 1} deliveries. <b>Ordering:</b> best effort;
 * messages are delivered in the order they became available, as far as batching, concurrency and
 * retries allow (a retried message goes to the back).
 *
 * <p><b>Durability:</b> as the {@linkplain Builder#store store}'s. The default {@link
 * InMemoryStore} keeps messages in the heap: those still queued when the engine closes are
 * logged, counted in the {@link ShutdownReport}, and lost. A durable store completes a send only
 * once the message is on disk (or committed), and delivers again after a restart what was in
 * flight when the process ended.
 *
 * <p><b>Thread-safety:</b> every method is safe to call from any thread. Handlers run on the
 * engine's executor, never under an engine lock.
 *
 * <p><b>Threads:</b> unless an executor and a scheduler are supplied, the engine starts daemon
 * threads named {@code queues4j-delivery-N} (created on demand, reused, bounded by the consumers'
 * {@code maxConcurrency}) and one {@code queues4j-timer}; {@link #close()} stops them all.
 */
public final class QueueEngine implements AutoCloseable {
  // Design note (structure, locks, time): docs/CONCURRENCY.md, "How the engine is built".
  private static final Logger logger = LoggerFactory.getLogger(QueueEngine.class);

  private final EngineContext context;
  private final Duration shutdownGracePeriod;
  private final ObjectMapper mapper;
  private final @Nullable DeliveryPool ownedExecutor;
  private final @Nullable ThreadScheduler ownedScheduler;
  private final ConcurrentHashMap<String, QueueRuntime> queues = new ConcurrentHashMap<>();
  private final QueueRegistry registry;
  private final EngineShutdown shutdown;
  private final QueueAdmin admin;

  private QueueEngine(Builder b) {
    this.mapper = b.mapper != null ? b.mapper : new ObjectMapper();
    this.shutdownGracePeriod = b.shutdownGracePeriod;
    this.ownedExecutor = b.executor == null ? new DeliveryPool() : null;
    this.ownedScheduler = b.scheduler == null ? new ThreadScheduler(b.clock) : null;
    this.context = new EngineContext(b.clock,
        b.scheduler != null ? b.scheduler : requireNonNull(ownedScheduler),
        b.executor != null ? b.executor : requireNonNull(ownedExecutor),
        new MessageCodec(mapper), b.limits, b.backlogMemoryLimit,
        b.waitingSendsMemoryLimit != null
            ? b.waitingSendsMemoryLimit : Math.max(1, b.backlogMemoryLimit / 4),
        b.defaultMaxConcurrency, b.listener, queues,
        b.messageIdSeed == null ? new MessageIds() : new MessageIds(b.messageIdSeed),
        b.store != null ? b.store : InMemoryStore.create());
    this.registry = new QueueRegistry(context, queues);
    this.shutdown = new EngineShutdown(context, registry, ownedExecutor, ownedScheduler);
    this.admin = new QueueAdmin(registry, context);
    // What a durable store already holds: queues a restarted process should declare.
    context.store.storedQueues().forEach((queue, metrics) -> logger.info(
        "Store {} holds {} messages ({} bytes) of queue '{}'; declare it to deliver them",
        context.store, metrics.backlogCount(), metrics.backlogBytes(), queue));
  }

  /**
   * Returns a builder with the defaults: the system clock, engine-owned threads, a plain Jackson
   * {@link ObjectMapper} and Cloudflare's limits.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Declares a queue with default settings, if it does not exist yet.
   *
   * @param name the queue name, not blank
   * @throws IllegalArgumentException if the name is blank
   * @throws IllegalStateException if the engine is closed
   */
  public void declareQueue(String name) {
    declareQueue(name, QueueSettings.defaults());
  }

  /**
   * Declares a queue. Declaring an existing queue again with equal settings does nothing.
   *
   * @param name the queue name, not blank
   * @param settings the queue's settings
   * @throws IllegalArgumentException if the name is blank
   * @throws IllegalStateException if the queue exists with other settings, or the engine is closed
   */
  public void declareQueue(String name, QueueSettings settings) {
    registry.declare(name, settings);
  }

  /**
   * Returns a producer binding to a declared queue. Bindings are cheap; any number may exist.
   *
   * @param name the queue name
   * @param <B> the body type the caller sends
   * @return the binding
   * @throws QueueNotFoundException if no queue has that name
   */
  public <B> Queue<B> queue(String name) {
    return new ProducerBinding<>(runtime(name), context, 0);
  }

  /**
   * Returns a producer binding to a declared FIFO queue (its name ends in {@code .fifo}), to send
   * through a group: {@code engine.fifoQueue("updates.fifo").group(userId).send(update)}. See
   * {@link FifoQueue}.
   *
   * @param name the queue name
   * @param <B> the body type the caller sends
   * @return the binding, without a group yet
   * @throws QueueNotFoundException if no queue has that name
   * @throws IllegalArgumentException if the queue is not a FIFO queue
   */
  public <B> FifoQueue<B> fifoQueue(String name) {
    QueueRuntime runtime = runtime(name);
    if (!runtime.fifo) {
      throw new IllegalArgumentException(
          "queue '" + name + "' is a standard queue: FIFO queues' names end in .fifo");
    }
    return new ProducerBinding<>(runtime, context, 0);
  }

  /**
   * Returns a producer binding that declares the type of the bodies it sends, so that a mismatch
   * with the queue's consumer fails here, at wiring time, instead of as decode failures and dead
   * letters: the queue's consumer must read {@code bodyType} (its body type is {@code bodyType}, a
   * supertype of it, {@code Object} or Jackson's {@code JsonNode}). A consumer attached later is
   * checked against every type declared so far.
   *
   * @param name the queue name
   * @param bodyType the class of the bodies this binding sends
   * @param <B> the body type
   * @return the binding
   * @throws QueueNotFoundException if no queue has that name
   * @throws IllegalArgumentException if the queue's consumer reads another type
   */
  public <B> Queue<B> queue(String name, Class<B> bodyType) {
    requireNonNull(bodyType, "bodyType");
    QueueRuntime runtime = runtime(name);
    runtime.declareProducerType(bodyType);
    return new ProducerBinding<>(runtime, context, 0);
  }

  /**
   * Returns a producer binding whose sends wait for backlog room instead of failing at once: a
   * send that does not fit under the queue's limits or the engine's memory budget waits in line,
   * without blocking the calling thread, and its future completes when the send is accepted, or
   * fails with {@link io.queues4j.StorageLimitExceededException} once {@code maxWaitForRoom} has
   * passed on the engine's clock. Waiting sends are accepted in arrival order. Their bodies wait in
   * memory, within the engine's {@link Builder#waitingSendsMemoryLimit budget for waiting sends};
   * a send that does not fit there either fails at once with {@link
   * io.queues4j.StorageLimitExceededException}.
   *
   * @param name the queue name
   * @param maxWaitForRoom how long a send may wait, more than zero; durations too long to represent
   *     in milliseconds wait without end
   * @param <B> the body type the caller sends
   * @return the binding
   * @throws QueueNotFoundException if no queue has that name
   * @throws IllegalArgumentException if {@code maxWaitForRoom} is not positive
   */
  public <B> Queue<B> queue(String name, Duration maxWaitForRoom) {
    requireNonNull(maxWaitForRoom, "maxWaitForRoom");
    if (maxWaitForRoom.isNegative() || maxWaitForRoom.isZero()) {
      throw new IllegalArgumentException(
          "maxWaitForRoom must be positive but was " + maxWaitForRoom);
    }
    return new ProducerBinding<>(
        runtime(name), context, Durations.saturatedMillis(maxWaitForRoom));
  }

  /**
   * Returns the heap bytes charged to every queue's backlog together: each queued message counts
   * its encoded size plus an estimated 100 bytes of engine overhead.
   *
   * @return the bytes in use, at most {@link #backlogMemoryLimit()} through sends
   */
  public long backlogMemoryUsed() {
    return context.budget.used();
  }

  /**
   * Returns the engine's memory budget for backlogs, set by {@link Builder#backlogMemoryLimit}.
   *
   * @return bytes
   */
  public long backlogMemoryLimit() {
    return context.budget.limit();
  }

  /**
   * Attaches the consumer of a declared queue; bodies are decoded into {@code bodyType}.
   *
   * @param queue the queue to consume
   * @param bodyType the class each body is decoded into; a body that does not decode counts as a
   *     failed delivery of that message
   * @param settings batching, retry, dead-letter and concurrency settings
   * @param handler the handler
   * @param <B> the body type
   * @throws QueueNotFoundException if the queue is not declared
   * @throws IllegalStateException if the queue already has a consumer, the dead-letter queue is the
   *     queue itself or leads back to it, a producer binding declared a body type this consumer
   *     cannot read (see {@link #queue(String, Class)}), or the engine is closed
   */
  public <B> void consume(
      String queue, Class<B> bodyType, ConsumerSettings settings, QueueHandler<B> handler) {
    requireNonNull(bodyType, "bodyType");
    consume(queue, mapper.constructType(bodyType), settings, handler);
  }

  /**
   * Attaches the consumer of a declared queue, for a generic body type such as {@code List<Job>}.
   *
   * @param queue the queue to consume
   * @param bodyType the type each body is decoded into
   * @param settings batching, retry, dead-letter and concurrency settings
   * @param handler the handler
   * @param <B> the body type
   * @throws QueueNotFoundException if the queue is not declared
   * @throws IllegalStateException if the queue already has a consumer, the dead-letter queue is the
   *     queue itself or leads back to it, or the engine is closed
   */
  public <B> void consume(
      String queue, TypeReference<B> bodyType, ConsumerSettings settings, QueueHandler<B> handler) {
    requireNonNull(bodyType, "bodyType");
    consume(queue, mapper.constructType(bodyType), settings, handler);
  }

  private <B> void consume(
      String queue, JavaType bodyType, ConsumerSettings settings, QueueHandler<B> handler) {
    requireNonNull(settings, "settings");
    requireNonNull(handler, "handler");
    registry.attachPush(queue, settings.deadLetterQueue(), deadLetterQueue ->
        new ConsumerBinding<>(settings, context.codec.reader(bodyType), handler, deadLetterQueue,
            context.defaultMaxConcurrency));
  }

  /**
   * Attaches a pull consumer to a declared queue (Cloudflare's {@code http_pull} consumer type):
   * clients pull leased messages and acknowledge or retry them by lease, see {@link PullConsumer}.
   * A queue has one consumer, push or pull; detach it with {@link QueueAdmin#detach}.
   *
   * @param queue the queue to consume
   * @param settings batch size, visibility timeout, retries and dead-letter queue
   * @return the consumer
   * @throws QueueNotFoundException if the queue is not declared
   * @throws IllegalStateException if the queue already has a consumer, the dead-letter queue is the
   *     queue itself or leads back to it, or the engine is closed
   */
  public PullConsumer attachPullConsumer(String queue, PullSettings settings) {
    return registry.attachPull(queue, settings);
  }

  /**
   * Returns administrative operations: queue settings, consumers, purge, pause, deletion.
   *
   * @return the engine's administration
   */
  public QueueAdmin admin() {
    return admin;
  }

  /**
   * Returns the names of the declared queues (dead-letter queues declared by {@link #consume}
   * included).
   *
   * @return an unmodifiable snapshot, in no particular order
   */
  public java.util.Set<String> queueNames() {
    return java.util.Set.copyOf(queues.keySet());
  }

  /**
   * Returns the counters and current metrics of a queue.
   *
   * @param queue the queue name
   * @return a snapshot
   * @throws QueueNotFoundException if the queue is not declared
   */
  public QueueStats stats(String queue) {
    return runtime(queue).control.stats();
  }

  /**
   * Returns the dead letters a queue holds because it has no consumer, oldest first, without
   * removing them.
   *
   * @param queue the dead-letter queue's name
   * @return a snapshot, possibly empty
   * @throws QueueNotFoundException if the queue is not declared
   */
  public List<DeadLetter> deadLetters(String queue) {
    return toDeadLetters(runtime(queue).control.deadLetters(false));
  }

  /**
   * Removes and returns the dead letters a queue holds, oldest first.
   *
   * @param queue the dead-letter queue's name
   * @return the drained dead letters, possibly none
   * @throws QueueNotFoundException if the queue is not declared
   */
  public List<DeadLetter> drainDeadLetters(String queue) {
    return toDeadLetters(runtime(queue).control.deadLetters(true));
  }

  private List<DeadLetter> toDeadLetters(List<StoredMessage> stored) {
    return stored.stream().map(m -> new DeadLetter(m.id(), Instant.ofEpochMilli(m.timestamp()),
        m.contentType(), m.body(), mapper)).toList();
  }

  private QueueRuntime runtime(String name) {
    return registry.runtime(name);
  }

  /**
   * Closes the engine: later sends fail with {@link io.queues4j.QueueClosedException}, no new batch
   * starts, in-flight invocations get up to {@code gracePeriod} (real time, or the scheduler's time
   * if it {@linkplain Scheduler#driveUntil drives} the engine) to finish, then every thread the
   * engine started is stopped. Messages still queued are logged and reported, not kept. Calling it
   * again returns the first report.
   *
   * <p>Called from inside a handler, it waits for every other invocation but not for the caller's
   * own, which settles when the handler returns; that invocation and its messages are left out of
   * the report.
   *
   * @param gracePeriod how long to wait for in-flight invocations; zero or more, durations too long
   *     to represent in nanoseconds wait "forever" (about 292 years)
   * @return what was left undelivered
   * @throws IllegalArgumentException if {@code gracePeriod} is negative (the engine stays open)
   */
  public ShutdownReport shutdown(Duration gracePeriod) {
    requireNonNull(gracePeriod, "gracePeriod");
    if (gracePeriod.isNegative()) {
      throw new IllegalArgumentException("gracePeriod must not be negative but was " + gracePeriod);
    }
    return shutdown.run(gracePeriod);
  }

  /**
   * Closes the engine with the builder's {@code shutdownGracePeriod}; see {@link
   * #shutdown(Duration)}.
   */
  @Override
  public void close() {
    shutdown(shutdownGracePeriod);
  }

  /** Builds a {@link QueueEngine}. Not thread-safe. */
  public static final class Builder {
    private InstantSource clock = InstantSource.system();
    private @Nullable Executor executor;
    private @Nullable Scheduler scheduler;
    private @Nullable ObjectMapper mapper;
    private QueueLimits limits = QueueLimits.cloudflare();
    private Duration shutdownGracePeriod = Duration.ofSeconds(10);
    private @Nullable QueueListener listener;
    private long backlogMemoryLimit = Runtime.getRuntime().maxMemory() / 4;
    private @Nullable Long waitingSendsMemoryLimit;
    private int defaultMaxConcurrency =
        Math.min(ConsumerSettings.MAX_CONCURRENCY,
            Math.max(2, Runtime.getRuntime().availableProcessors()));
    private @Nullable Long messageIdSeed;
    private @Nullable MessageStore store;

    private Builder() {}

    /**
     * Sets where messages are kept; by default an {@link InMemoryStore}, which keeps them in the
     * heap and loses them when the process ends. A durable store (the {@code queue-sqlite} or
     * {@code queue-postgres} module) keeps them across restarts. The engine closes the store when
     * it closes.
     *
     * @param store the store; not shared with another engine unless it says it may be
     * @return this builder
     */
    public Builder store(MessageStore store) {
      this.store = requireNonNull(store, "store");
      return this;
    }

    /**
     * Sets the {@code maxConcurrency} of consumers whose {@link ConsumerSettings} leave it unset.
     * The default follows the machine: its available processors, at least 2 and at most 250. Fix
     * it where results must not depend on the machine (the testkit sets 1).
     *
     * @param maxConcurrency 1..250
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder defaultMaxConcurrency(int maxConcurrency) {
      this.defaultMaxConcurrency =
          Checks.requireInRange(
              "defaultMaxConcurrency", maxConcurrency, 1, ConsumerSettings.MAX_CONCURRENCY);
      return this;
    }

    /**
     * Sets the memory budget of sends waiting for room (see {@link QueueEngine#queue(String,
     * Duration)}), in heap bytes counted as for {@link #backlogMemoryLimit}: their bodies wait in
     * memory, so without a bound a producer that does not wait for its futures could fill the heap
     * with them. A send that would exceed it fails at once with {@link
     * io.queues4j.StorageLimitExceededException}. The default is a quarter of the backlog memory
     * limit.
     *
     * @param bytes at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes < 1}
     */
    public Builder waitingSendsMemoryLimit(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException(
            "waitingSendsMemoryLimit must be at least 1 but was " + bytes);
      }
      this.waitingSendsMemoryLimit = bytes;
      return this;
    }

    /**
     * Makes message ids reproducible: an engine built with the same seed gives the same ids to the
     * same sequence of sends, which lets a test assert on them. Ids stay unique within the engine;
     * two engines with the same seed give the same ids, so use it for tests only. By default the
     * engine draws a random prefix.
     *
     * @param seed any value
     * @return this builder
     */
    public Builder messageIdSeed(long seed) {
      this.messageIdSeed = seed;
      return this;
    }

    /**
     * Sets the memory budget shared by every queue's backlog, in heap bytes: each queued message
     * counts its encoded size plus an estimated 100 bytes of engine overhead. A send that would
     * exceed it fails with {@link io.queues4j.StorageLimitExceededException} (or waits, see {@link
     * QueueEngine#queue(String, Duration)}). The default is a quarter of the JVM's maximum heap,
     * so a producer that outruns its consumer is refused long before the heap runs out, while
     * leaving the application three quarters of it.
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
     * Sets the listener that observes sends, deliveries, failures and outcomes.
     *
     * @param listener a thread-safe listener
     * @return this builder
     */
    public Builder listener(QueueListener listener) {
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Sets the clock that stamps messages and decides when delays and timeouts have passed.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(InstantSource clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the executor that runs handler invocations; the engine does not shut it down. It should
     * run at least as many tasks at once as the consumers' {@code maxConcurrency}, or handler
     * timeouts count time spent waiting for a thread. {@code Runnable::run} delivers on the thread
     * that triggered the batch.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Sets the scheduler of the engine's wake-ups; the engine does not shut it down. Supply one
     * with a matching {@link #clock} to run the engine on virtual time.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Sets the Jackson mapper that encodes JSON bodies and decodes them for consumers.
     *
     * @param mapper the mapper; configure modules (e.g. Java time) on it first
     * @return this builder
     */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * Sets the size limits of sends.
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder limits(QueueLimits limits) {
      this.limits = requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Sets how long {@link QueueEngine#close()} waits for in-flight invocations.
     *
     * @param gracePeriod zero or more; durations too long to represent in nanoseconds wait without
     *     end
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder shutdownGracePeriod(Duration gracePeriod) {
      requireNonNull(gracePeriod, "gracePeriod");
      if (gracePeriod.isNegative()) {
        throw new IllegalArgumentException(
            "shutdownGracePeriod must not be negative but was " + gracePeriod);
      }
      this.shutdownGracePeriod = gracePeriod;
      return this;
    }

    /**
     * Builds the engine.
     *
     * @return a new engine, open
     * @throws IllegalArgumentException if the clock reads before 1970 (message timestamps are
     *     epoch milliseconds and must not be negative)
     */
    public QueueEngine build() {
      long now = clock.millis();
      if (now < 0) {
        throw new IllegalArgumentException(
            "clock must not read before 1970-01-01T00:00:00Z but reads " + Instant.ofEpochMilli(now));
      }
      return new QueueEngine(this);
    }
  }
}
