package io.queues4j.core;

import io.queues4j.QueueClosedException;
import io.queues4j.QueueMetadata;
import io.queues4j.QueueMetrics;
import io.queues4j.QueueRetryOptions;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One queue: its store, its consumer, and the dispatch rules between them.
 *
 * <p><b>Concurrency.</b> One {@link ReentrantLock} per queue guards the store, the counters, the
 * in-flight set and the wake-up. Work is <em>chosen</em> under the lock and <em>run</em> after it
 * is released: invocations are handed to the executor, dead letters to their queue and logs to
 * SLF4J only once the lock is free, so no user code and no other queue's lock is ever entered while
 * holding it.
 *
 * <p><b>Dispatch.</b> A batch is claimed when a consumer is attached, fewer than {@code
 * maxConcurrency} invocations are in flight, and either {@code maxBatchSize} messages are ready or
 * the first ready message has waited {@code maxBatchTimeout}. Dispatch is attempted after every
 * send, every settlement and every wake-up, so a slot freed by a finished batch is reused at once.
 *
 * <p><b>Time.</b> The queue keeps at most one live wake-up in the engine's {@link Scheduler}, at
 * the earliest of: the next delayed message, the current batch timeout, the next handler deadline.
 */
final class QueueRuntime {
  private static final Logger logger = LoggerFactory.getLogger(QueueRuntime.class);

  /** How long the executor's refusal holds messages back before the next attempt. */
  private static final long REFUSED_BACKOFF_MILLIS = 1_000;

  final String name;
  final QueueSettings settings;
  private final EngineContext engine;
  private final long deliveryDelayMillis;
  private final ReentrantLock lock = new ReentrantLock();

  // guarded by lock
  private final MessageStore store = new InMemoryMessageStore();
  private final ArrayDeque<Invocation<?>> running = new ArrayDeque<>();
  private @Nullable ConsumerBinding<?> consumer;
  private boolean dispatching = true;
  private int inFlight;
  private long wakeAt = Long.MAX_VALUE;
  private @Nullable WakeUp wakeUp;
  private final QueueStats.Counters counters = new QueueStats.Counters();

  QueueRuntime(String name, QueueSettings settings, EngineContext engine) {
    this.name = name;
    this.settings = settings;
    this.engine = engine;
    this.deliveryDelayMillis = settings.deliveryDelay().toMillis();
  }

  long deliveryDelayMillis() {
    return deliveryDelayMillis;
  }

  String formatId(long sequence) {
    return engine.ids.format(sequence);
  }

  // ---- intake ----

  /**
   * Accepts messages sent by a producer, all or none.
   *
   * @throws QueueClosedException if the engine no longer accepts messages
   */
  QueueMetrics accept(List<StoredMessage> messages, long now) {
    List<Invocation<?>> started;
    QueueMetrics metrics;
    lock.lock();
    try {
      if (!engine.accepting()) {
        throw new QueueClosedException(name);
      }
      for (StoredMessage message : messages) {
        store.add(message, now);
      }
      counters.sent += messages.size();
      started = dispatchLocked(now);
      metrics = store.metrics();
    } finally {
      lock.unlock();
    }
    if (engine.listening()) {
      for (StoredMessage m : messages) {
        engine.emit(
            new QueueEvent.Sent(
                name,
                Instant.ofEpochMilli(m.timestamp),
                formatId(m.sequence),
                m.contentType,
                m.size(),
                Instant.ofEpochMilli(m.visibleAt)));
      }
    }
    launch(started);
    return metrics;
  }

  /** Accepts dead letters moved here from {@code source}; they keep id, timestamp and body. */
  void acceptDeadLetters(List<StoredMessage> moved, String source) {
    List<Invocation<?>> started;
    List<StoredMessage> evicted = null;
    lock.lock();
    try {
      long now = engine.clock.millis();
      boolean consumed = consumer != null;
      for (StoredMessage message : moved) {
        StoredMessage copy = message.moveTo(now);
        if (consumed) {
          store.add(copy, now);
        } else {
          StoredMessage out = store.hold(copy, settings.deadLetterCapacity());
          if (out != null) {
            evicted = add(evicted, out);
          }
        }
      }
      counters.deadLettersReceived += moved.size();
      counters.deadLettersEvicted += evicted == null ? 0 : evicted.size();
      started = dispatchLocked(now);
    } finally {
      lock.unlock();
    }
    if (evicted != null) {
      logger.warn(
          "Dead-letter queue '{}' is full ({} held, no consumer): evicted its {} oldest dead"
              + " letters to take {} from queue '{}'",
          name, settings.deadLetterCapacity(), evicted.size(), moved.size(), source);
      if (engine.listening()) {
        Instant at = engine.now();
        for (StoredMessage m : evicted) {
          engine.emit(new QueueEvent.DeadLetterEvicted(name, at, formatId(m.sequence)));
        }
      }
    }
    launch(started);
  }

  // ---- consumer ----

  void attach(ConsumerBinding<?> binding) {
    List<Invocation<?>> started;
    lock.lock();
    try {
      Checks.requireState(
          consumer == null,
          "queue '" + name + "' already has a consumer (duplicate_consumer): a queue has one");
      consumer = binding;
      long now = engine.clock.millis();
      store.releaseHeld(now);
      started = dispatchLocked(now);
    } finally {
      lock.unlock();
    }
    launch(started);
  }

  @Nullable ConsumerBinding<?> consumer() {
    lock.lock();
    try {
      return consumer;
    } finally {
      lock.unlock();
    }
  }

  // ---- dispatch ----

  private @Nullable List<Invocation<?>> dispatchLocked(long now) {
    List<Invocation<?>> started = null;
    ConsumerBinding<?> c = consumer;
    if (c != null && dispatching) {
      store.promoteDue(now);
      int batchSize = c.settings.maxBatchSize();
      while (inFlight < c.settings.maxConcurrency()
          && store.readyCount() > 0
          && (store.readyCount() >= batchSize
              || store.oldestReadyAt() + c.batchTimeoutMillis <= now)) {
        if (started == null) {
          started = new ArrayList<>(2);
        }
        started.add(claimLocked(c, now));
      }
    }
    rescheduleLocked(now);
    return started;
  }

  private <B> Invocation<B> claimLocked(ConsumerBinding<B> c, long now) {
    List<StoredMessage> claimed =
        new ArrayList<>(Math.min(c.settings.maxBatchSize(), store.readyCount()));
    store.claim(c.settings.maxBatchSize(), claimed);
    inFlight++;
    counters.deliveries += claimed.size();
    Invocation<B> invocation =
        new Invocation<>(this, c, claimed, now, new QueueMetadata(store.metrics()));
    running.addLast(invocation);
    return invocation;
  }

  private void rescheduleLocked(long now) {
    long next = Long.MAX_VALUE;
    ConsumerBinding<?> c = consumer;
    if (c != null && dispatching) {
      next = store.nextDueAt();
      if (store.readyCount() > 0 && inFlight < c.settings.maxConcurrency()) {
        next = Math.min(next, store.oldestReadyAt() + c.batchTimeoutMillis);
      }
    }
    for (Invocation<?> invocation : running) {
      next = Math.min(next, invocation.deadline);
    }
    if (next < wakeAt) {
      WakeUp previous = wakeUp;
      if (previous != null) {
        previous.cancel();
      }
      WakeUp task = new WakeUp();
      try {
        task.handle = engine.scheduler.schedule(Instant.ofEpochMilli(Math.max(next, now)), task);
        wakeAt = next;
        wakeUp = task;
      } catch (RuntimeException e) { // a custom scheduler that refuses; the next event retries
        logger.error("Scheduler refused the wake-up of queue '{}' at {}", name, next, e);
        wakeAt = Long.MAX_VALUE;
        wakeUp = null;
      }
    }
  }

  /** Runs when the scheduler fires: promotes due messages, dispatches, expires handlers. */
  private void wake(WakeUp task) {
    List<Invocation<?>> started;
    List<Invocation<?>> expired = null;
    lock.lock();
    try {
      if (wakeUp == task) {
        wakeUp = null;
        wakeAt = Long.MAX_VALUE;
      }
      long now = engine.clock.millis();
      for (Iterator<Invocation<?>> it = running.iterator(); it.hasNext(); ) {
        Invocation<?> invocation = it.next();
        if (invocation.deadline <= now) {
          it.remove();
          if (expired == null) {
            expired = new ArrayList<>(1);
          }
          expired.add(invocation);
        }
      }
      started = dispatchLocked(now);
    } finally {
      lock.unlock();
    }
    if (expired != null) {
      for (Invocation<?> invocation : expired) {
        invocation.timeOut();
      }
    }
    launch(started);
  }

  private void launch(@Nullable List<Invocation<?>> started) {
    if (started == null) {
      return;
    }
    for (Invocation<?> invocation : started) {
      if (engine.listening()) {
        emitDelivered(invocation);
      }
      try {
        engine.executor.execute(invocation);
      } catch (RejectedExecutionException e) {
        if (invocation.refuse()) {
          logger.warn(
              "Executor refused a batch of {} messages of queue '{}'; they stay queued and are"
                  + " retried in {} ms without counting an attempt",
              invocation.claimed().size(), name, REFUSED_BACKOFF_MILLIS, e);
          unclaim(invocation);
        }
      }
    }
  }

  private void emitDelivered(Invocation<?> invocation) {
    List<StoredMessage> claimed = invocation.claimed();
    List<String> ids = new ArrayList<>(claimed.size());
    List<Integer> attempts = new ArrayList<>(claimed.size());
    for (StoredMessage m : claimed) {
      ids.add(formatId(m.sequence));
      attempts.add(m.deliveries);
    }
    engine.emit(
        new QueueEvent.Delivered(
            name, Instant.ofEpochMilli(invocation.dispatchedAt), ids, attempts));
  }

  void emit(QueueEvent event) {
    engine.emit(event);
  }

  boolean listening() {
    return engine.listening();
  }

  Instant now() {
    return engine.now();
  }

  private void unclaim(Invocation<?> invocation) {
    List<Invocation<?>> started;
    lock.lock();
    try {
      finishLocked(invocation);
      long now = engine.clock.millis();
      for (StoredMessage message : invocation.claimed()) {
        message.deliveries--;
        counters.deliveries--;
        store.release(message, now + REFUSED_BACKOFF_MILLIS, now);
      }
      started = dispatchLocked(now);
    } finally {
      lock.unlock();
    }
    launch(started);
  }

  private void finishLocked(Invocation<?> invocation) {
    inFlight--;
    running.remove(invocation);
    if (inFlight == 0 && !dispatching) {
      engine.signalIdle();
    }
  }

  // ---- settlement ----

  /**
   * Applies the outcome of each message of a finished invocation: {@link Invocation#ACK} removes
   * it; a {@link QueueRetryOptions} requeues it after its delay, or, once it has had {@code
   * maxRetries + 1} deliveries, moves it to the dead-letter queue or drops it.
   */
  void settle(Invocation<?> invocation, Object[] outcomes) {
    List<Invocation<?>> started;
    List<StoredMessage> deadLetters = null;
    List<StoredMessage> dropped = null;
    List<QueueEvent> events = engine.listening() ? new ArrayList<>(outcomes.length) : null;
    ConsumerBinding<?> c;
    lock.lock();
    try {
      finishLocked(invocation);
      c = consumer;
      if (c == null) {
        throw new IllegalStateException("settling a batch of queue '" + name + "' with no consumer");
      }
      long now = engine.clock.millis();
      Instant at = events == null ? Instant.EPOCH : Instant.ofEpochMilli(now);
      List<StoredMessage> claimed = invocation.claimed();
      for (int i = 0; i < outcomes.length; i++) {
        StoredMessage message = claimed.get(i);
        if (outcomes[i] == Invocation.ACK) {
          store.remove(message);
          counters.acked++;
          if (events != null) {
            events.add(
                new QueueEvent.Acked(name, at, formatId(message.sequence), message.deliveries));
          }
        } else if (message.deliveries > c.settings.maxRetries()) {
          store.remove(message);
          QueueRuntime target = c.deadLetterQueue;
          if (target != null) {
            counters.deadLettered++;
            deadLetters = add(deadLetters, message);
            if (events != null) {
              events.add(
                  new QueueEvent.DeadLettered(
                      name, at, formatId(message.sequence), message.deliveries, target.name));
            }
          } else {
            counters.dropped++;
            dropped = add(dropped, message);
            if (events != null) {
              events.add(
                  new QueueEvent.Dropped(name, at, formatId(message.sequence), message.deliveries));
            }
          }
        } else {
          QueueRetryOptions options = (QueueRetryOptions) outcomes[i];
          long delay =
              options.delaySeconds().isPresent()
                  ? options.delaySeconds().getAsInt() * 1000L
                  : c.retryDelayMillis;
          store.release(message, now + delay, now);
          counters.retried++;
          if (events != null) {
            events.add(
                new QueueEvent.Retried(
                    name,
                    at,
                    formatId(message.sequence),
                    message.deliveries,
                    java.time.Duration.ofMillis(delay)));
          }
        }
      }
      started = dispatchLocked(now);
    } finally {
      lock.unlock();
    }
    if (events != null) {
      for (QueueEvent event : events) {
        engine.emit(event);
      }
    }
    if (dropped != null) {
      for (StoredMessage message : dropped) {
        logger.warn(
            "Dropped message {} of queue '{}' after {} failed deliveries (maxRetries={}, no"
                + " dead-letter queue)",
            formatId(message.sequence), name, message.deliveries, c.settings.maxRetries());
      }
    }
    QueueRuntime target = c.deadLetterQueue;
    if (deadLetters != null && target != null) {
      logger.info(
          "Moved {} messages of queue '{}' to dead-letter queue '{}' after {} failed deliveries",
          deadLetters.size(), name, target.name, c.settings.maxRetries() + 1);
      target.acceptDeadLetters(deadLetters, name);
    }
    launch(started);
  }

  private static List<StoredMessage> add(@Nullable List<StoredMessage> list, StoredMessage m) {
    List<StoredMessage> result = list == null ? new ArrayList<>() : list;
    result.add(m);
    return result;
  }

  // ---- inspection and lifecycle ----

  QueueMetrics metrics() {
    lock.lock();
    try {
      return store.metrics();
    } finally {
      lock.unlock();
    }
  }

  QueueStats stats() {
    lock.lock();
    try {
      return counters.snapshot(store.metrics(), inFlight);
    } finally {
      lock.unlock();
    }
  }

  List<StoredMessage> deadLetters(boolean drain) {
    lock.lock();
    try {
      return drain ? store.drainHeld() : store.held();
    } finally {
      lock.unlock();
    }
  }

  /** Stops starting invocations and cancels the wake-up; in-flight ones may still finish. */
  void stopDispatching() {
    lock.lock();
    try {
      dispatching = false;
      WakeUp task = wakeUp;
      if (task != null && running.isEmpty()) {
        task.cancel();
        wakeUp = null;
        wakeAt = Long.MAX_VALUE;
      }
    } finally {
      lock.unlock();
    }
  }

  boolean idle() {
    lock.lock();
    try {
      return inFlight == 0;
    } finally {
      lock.unlock();
    }
  }

  /** Cancels any wake-up for good; the scheduler is going away. */
  void cancelWakeUp() {
    lock.lock();
    try {
      WakeUp task = wakeUp;
      if (task != null) {
        task.cancel();
      }
      wakeUp = null;
      wakeAt = Long.MIN_VALUE; // never schedule again
    } finally {
      lock.unlock();
    }
  }

  /** A scheduled wake-up; the queue ignores stale ones when deciding what to reschedule. */
  private final class WakeUp implements Runnable {
    private Scheduler.@Nullable Cancellable handle;

    @Override
    public void run() {
      wake(this);
    }

    void cancel() {
      Scheduler.Cancellable h = handle;
      if (h != null) {
        h.cancel();
      }
    }
  }
}
