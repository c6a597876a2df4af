package io.queues4j.core;

import io.queues4j.QueueClosedException;
import io.queues4j.QueueMetadata;
import io.queues4j.QueueMetrics;
import io.queues4j.QueueRetryOptions;
import io.queues4j.QueueSendResult;
import io.queues4j.StorageLimitExceededException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One queue: its store, its consumer, its waiting producers, and the rules between them.
 *
 * <p><b>Concurrency.</b> One {@link ReentrantLock} per queue guards the store, the counters, the
 * in-flight set, the waiting sends and the wake-up. Work is <em>chosen</em> under the lock into a
 * {@link Deferred} and <em>carried out</em> after the lock is released: invocations go to the
 * executor, dead letters to their queue, events to the listener, futures are completed, logs
 * written. No user code and no other queue's lock is entered while the lock is held.
 *
 * <p><b>Pump.</b> After every send, settlement and wake-up the queue admits waiting sends that now
 * fit, expires messages past retention, makes due delayed messages ready, and claims batches: a
 * batch is claimed when a consumer is attached, fewer than {@code maxConcurrency} invocations are
 * in flight, and either {@code maxBatchSize} messages are ready or the first ready message has
 * waited {@code maxBatchTimeout}.
 *
 * <p><b>Time.</b> The queue keeps at most one live wake-up in the engine's {@link Scheduler}, at
 * the earliest of: the next delayed message, the batch timeout, the next handler deadline, the next
 * waiting send's deadline, and the next retention expiry (rounded up to a whole second, so a queue
 * sweeps at most once a second).
 */
final class QueueRuntime {
  private static final Logger logger = LoggerFactory.getLogger(QueueRuntime.class);

  /** How long the executor's refusal holds messages back before the next attempt. */
  private static final long REFUSED_BACKOFF_MILLIS = 1_000;

  /**
   * The most delayed messages made ready by one pump: a million messages due at once are released
   * in steps, with the lock free for sends in between (each step wakes the queue again at once).
   */
  private static final int PROMOTE_CHUNK = 4_096;

  final String name;
  final QueueSettings settings;
  private final EngineContext engine;
  private final long deliveryDelayMillis;
  private final long retentionMillis;
  private final ReentrantLock lock = new ReentrantLock();

  // guarded by lock
  private final MessageStore store = new InMemoryMessageStore();
  private final ArrayDeque<Invocation<?>> running = new ArrayDeque<>();
  private final BacklogGate gate;
  private @Nullable ConsumerBinding<?> consumer;
  private final java.util.Set<Class<?>> producerTypes = new java.util.LinkedHashSet<>();
  /**
   * Dead letters on their way here: counted (by the source queue, under its lock) before they
   * leave it, uncounted (under this lock) as they are added, so that one of this count and the
   * backlog always holds each of them.
   */
  private final java.util.concurrent.atomic.AtomicLong incoming =
      new java.util.concurrent.atomic.AtomicLong();
  private boolean dispatching = true;
  private int inFlight;
  private final QueueTimer timer;
  private final QueueStats.Counters counters = new QueueStats.Counters();

  QueueRuntime(String name, QueueSettings settings, EngineContext engine) {
    this.name = name;
    this.settings = settings;
    this.engine = engine;
    this.deliveryDelayMillis = settings.deliveryDelay().toMillis();
    this.retentionMillis = settings.retentionPeriod().toMillis();
    this.gate =
        new BacklogGate(name, settings, engine.budget, engine.waitingBudget, engine.waitingSends);
    this.timer = new QueueTimer(name, engine.scheduler, this::wake);
  }

  EngineContext engine() {
    return engine;
  }

  long deliveryDelayMillis() {
    return deliveryDelayMillis;
  }

  String formatId(long sequence) {
    return engine.ids.format(sequence);
  }

  // ---- intake ----

  /**
   * Accepts messages sent by a producer, all or none. If the backlog has no room, the send fails
   * at once, or, with {@code maxWaitMillis > 0}, waits in line for room until that deadline.
   *
   * @throws QueueClosedException if the engine no longer accepts messages
   * @throws StorageLimitExceededException if there is no room and the send may not wait
   */
  CompletableFuture<QueueSendResult> accept(
      List<StoredMessage> messages, long now, long maxWaitMillis) {
    long bytes = 0;
    long cost = 0;
    for (StoredMessage m : messages) {
      bytes += m.size();
      cost += BacklogBudget.cost(m);
    }
    Deferred deferred = new Deferred();
    CompletableFuture<QueueSendResult> result;
    lock.lock();
    try {
      if (!engine.accepting()) {
        throw new QueueClosedException(name);
      }
      StorageLimitExceededException refusal =
          gate.hasWaiting()
              ? gate.queuedBehind(cost)
              : gate.reserve(store, messages.size(), bytes, cost, false);
      if (refusal == null) {
        addLocked(messages, now, deferred);
        result = completed(store.metrics());
      } else if (maxWaitMillis > 0) {
        PendingSend pending =
            new PendingSend(messages, bytes, cost, Durations.saturatedAdd(now, maxWaitMillis));
        StorageLimitExceededException full = gate.enqueue(pending);
        if (full != null) {
          counters.refusedSends++;
          throw full;
        }
        result = pending.result;
      } else {
        counters.refusedSends++;
        throw refusal;
      }
      pumpLocked(now, deferred);
    } finally {
      lock.unlock();
    }
    run(deferred);
    return result;
  }

  private void addLocked(List<StoredMessage> messages, long now, Deferred deferred) {
    for (StoredMessage message : messages) {
      store.add(message, now);
    }
    counters.sent += messages.size();
    if (engine.listening()) {
      deferred.then(() -> {
        for (StoredMessage m : messages) {
          engine.emit(new QueueEvent.Sent(name, Instant.ofEpochMilli(m.timestamp),
              formatId(m.sequence), m.contentType, m.size(), Instant.ofEpochMilli(m.visibleAt)));
        }
      });
    }
  }

  /** Accepts dead letters moved here from {@code source}; they keep id, timestamp and body. */
  void acceptDeadLetters(List<StoredMessage> moved, String source) {
    Deferred deferred = new Deferred();
    lock.lock();
    try {
      long now = engine.clock.millis();
      boolean consumed = consumer != null;
      List<StoredMessage> evicted = new ArrayList<>(0);
      for (StoredMessage message : moved) {
        StoredMessage copy = message.moveTo(now);
        engine.budget.charge(BacklogBudget.cost(copy));
        if (consumed) {
          store.add(copy, now);
        } else {
          StoredMessage out = store.hold(copy, settings.deadLetterCapacity());
          if (out != null) {
            evicted.add(out);
            engine.budget.release(BacklogBudget.cost(out));
          }
        }
      }
      counters.deadLettersReceived += moved.size();
      incoming.addAndGet(-moved.size());
      counters.deadLettersEvicted += evicted.size();
      if (!evicted.isEmpty()) {
        deferred.then(() -> reportEvicted(evicted, moved.size(), source));
      }
      pumpLocked(now, deferred);
    } finally {
      lock.unlock();
    }
    run(deferred);
  }

  private void reportEvicted(List<StoredMessage> evicted, int received, String source) {
    logger.warn(
        "Dead-letter queue '{}' is full ({} held, no consumer): evicted its {} oldest dead letters"
            + " to take {} from queue '{}'",
        name, settings.deadLetterCapacity(), evicted.size(), received, source);
    if (engine.listening()) {
      Instant at = engine.now();
      for (StoredMessage m : evicted) {
        engine.emit(new QueueEvent.DeadLetterEvicted(name, at, formatId(m.sequence)));
      }
    }
  }

  // ---- consumer ----

  /**
   * Records a body type a producer binding declared; fails if the consumer cannot read it.
   *
   * @throws IllegalArgumentException if the consumer reads another type
   */
  void declareProducerType(Class<?> type) {
    lock.lock();
    try {
      ConsumerBinding<?> c = consumer;
      if (c != null && !c.reads(type)) {
        throw new IllegalArgumentException(
            "queue '" + name + "' is consumed as " + c.reader.type().getRawClass().getName()
                + ", which cannot hold the " + type.getName() + " bodies this producer sends");
      }
      producerTypes.add(type);
    } finally {
      lock.unlock();
    }
  }

  void attach(ConsumerBinding<?> binding) {
    Deferred deferred = new Deferred();
    lock.lock();
    try {
      Checks.requireState(
          consumer == null,
          "queue '" + name + "' already has a consumer (duplicate_consumer): a queue has one");
      for (Class<?> type : producerTypes) {
        Checks.requireState(
            binding.reads(type),
            "queue '" + name + "' has a producer that sends " + type.getName()
                + " bodies, which a consumer of "
                + binding.reader.type().getRawClass().getName() + " cannot read");
      }
      consumer = binding;
      long now = engine.clock.millis();
      store.releaseHeld(now);
      pumpLocked(now, deferred);
    } finally {
      lock.unlock();
    }
    run(deferred);
  }

  @Nullable ConsumerBinding<?> consumer() {
    lock.lock();
    try {
      return consumer;
    } finally {
      lock.unlock();
    }
  }

  // ---- the pump ----

  /** Runs the queue forward to {@code now}: call after any change, under the lock. */
  private void pumpLocked(long now, Deferred deferred) {
    if (gate.hasWaiting()) {
      admitWaitingLocked(now, deferred);
    }
    if (store.oldestTimestamp() < now - retentionMillis) { // MAX_VALUE when empty
      expireLocked(now, deferred);
    }
    ConsumerBinding<?> c = consumer;
    if (c != null && dispatching) {
      store.promoteDue(now, PROMOTE_CHUNK);
      int batchSize = c.settings.maxBatchSize();
      while (inFlight < c.maxConcurrency
          && store.readyCount() > 0
          && (store.readyCount() >= batchSize
              || store.oldestReadyAt() + c.batchTimeoutMillis <= now)) {
        deferred.start(claimLocked(c, now));
      }
    }
    rescheduleLocked(now);
  }

  private void admitWaitingLocked(long now, Deferred deferred) {
    PendingSend admitted;
    while ((admitted = gate.admitFirst(store)) != null) {
      addLocked(admitted.messages, now, deferred);
      QueueSendResult result = new QueueSendResult(new QueueMetadata(store.metrics()));
      CompletableFuture<QueueSendResult> future = admitted.result;
      deferred.then(() -> future.complete(result));
    }
    for (BacklogGate.Refused refused : gate.expire(now, store)) {
      counters.refusedSends++;
      deferred.then(() -> refused.send().result.completeExceptionally(refused.reason()));
    }
  }

  private void expireLocked(long now, Deferred deferred) {
    List<StoredMessage> expired = new ArrayList<>();
    store.removeExpired(now - retentionMillis, expired);
    if (expired.isEmpty()) {
      return;
    }
    for (StoredMessage m : expired) {
      engine.budget.release(BacklogBudget.cost(m));
    }
    counters.expired += expired.size();
    deferred.roomFreed = true;
    deferred.then(() -> reportExpired(expired));
  }

  private void reportExpired(List<StoredMessage> expired) {
    logger.warn(
        "Expired {} messages of queue '{}' older than its retention period of {} (first: {})",
        expired.size(), name, settings.retentionPeriod(), formatId(expired.get(0).sequence));
    if (engine.listening()) {
      Instant at = engine.now();
      for (StoredMessage m : expired) {
        engine.emit(new QueueEvent.Expired(name, at, formatId(m.sequence), m.deliveries));
      }
    }
  }

  private <B> Invocation<B> claimLocked(ConsumerBinding<B> c, long now) {
    List<StoredMessage> claimed =
        new ArrayList<>(Math.min(c.settings.maxBatchSize(), store.readyCount()));
    store.claim(c.settings.maxBatchSize(), claimed);
    inFlight++;
    engine.work.incrementAndGet(); // before anything can settle it: see EngineContext.work
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
      if (store.readyCount() > 0 && inFlight < c.maxConcurrency) {
        next = Math.min(next, store.oldestReadyAt() + c.batchTimeoutMillis);
      }
    }
    for (Invocation<?> invocation : running) {
      next = Math.min(next, invocation.deadline);
    }
    next = Math.min(next, gate.nextDeadline());
    long oldest = store.oldestTimestamp();
    if (oldest != Long.MAX_VALUE) {
      long expiry = Math.max(oldest + retentionMillis + 1, now + 1);
      next = Math.min(next, (expiry + 999) / 1000 * 1000);
    }
    timer.wakeBy(next, now);
  }

  /** Runs when the scheduler fires: expires handlers, then pumps. */
  private void wake(QueueTimer.Token task) {
    Deferred deferred = new Deferred();
    List<Invocation<?>> expired = new ArrayList<>(0);
    lock.lock();
    try {
      timer.fired(task);
      long now = engine.clock.millis();
      for (Iterator<Invocation<?>> it = running.iterator(); it.hasNext(); ) {
        Invocation<?> invocation = it.next();
        if (invocation.deadline <= now) {
          it.remove();
          expired.add(invocation);
        }
      }
      pumpLocked(now, deferred);
    } finally {
      lock.unlock();
    }
    for (Invocation<?> invocation : expired) {
      invocation.timeOut();
    }
    run(deferred);
  }

  /** Pumps the queue; called when another queue freed room in the engine's budget. */
  void pump() {
    Deferred deferred = new Deferred();
    lock.lock();
    try {
      pumpLocked(engine.clock.millis(), deferred);
    } finally {
      lock.unlock();
    }
    run(deferred);
  }

  boolean hasWaitingSends() {
    lock.lock();
    try {
      return gate.hasWaiting();
    } finally {
      lock.unlock();
    }
  }

  /** Carries out what was chosen under the lock. Never call with the lock held. */
  private void run(Deferred deferred) {
    run(deferred, false);
  }

  /**
   * Carries out what was chosen under the lock. With {@code onHandlerThread}, the caller is a
   * delivery thread whose handler has just returned: the first new batch may run on it next.
   */
  private void run(Deferred deferred, boolean onHandlerThread) {
    for (Runnable action : deferred.actions()) {
      action.run();
    }
    boolean inline = onHandlerThread;
    for (Invocation<?> invocation : deferred.invocations()) {
      boolean first = inline;
      Trampoline.run(() -> launch(invocation, first));
      inline = false;
    }
    if (deferred.roomFreed && engine.waitingSends.get() > 0) {
      engine.roomFreed(this);
    }
  }

  private void launch(Invocation<?> invocation, boolean inline) {
    try {
      if (inline && engine.executor instanceof DeliveryPool pool && pool.runNext(invocation)) {
        return;
      }
      engine.executor.execute(invocation);
    } catch (Throwable e) { // RejectedExecutionException, or a custom executor's failure
      // Whatever the executor threw, the claimed batch must not stay in flight for ever.
      if (invocation.refuse()) {
        logger.warn(
            "Executor refused a batch of queue '{}' (messages {}); they stay queued and are"
                + " retried in {} ms without counting an attempt",
            name, invocation.ids(), REFUSED_BACKOFF_MILLIS, e);
        unclaim(invocation);
      } else {
        invocation.neverRuns(); // its timeout settled it already
      }
    }
  }

  private void unclaim(Invocation<?> invocation) {
    Deferred deferred = new Deferred();
    lock.lock();
    try {
      finishLocked(invocation, deferred);
      long now = engine.clock.millis();
      for (StoredMessage message : invocation.claimed()) {
        message.deliveries--;
        counters.deliveries--;
        store.release(message, now + REFUSED_BACKOFF_MILLIS, now);
      }
      pumpLocked(now, deferred);
    } finally {
      lock.unlock();
    }
    run(deferred);
  }

  /** Frees the invocation's concurrency slot: it has returned and its batch is settled. */
  private void finishLocked(Invocation<?> invocation, Deferred deferred) {
    inFlight--;
    running.remove(invocation);
    engine.work.decrementAndGet();
    if (!engine.accepting()) {
      deferred.then(engine::signalIdle); // never under this lock: awaitIdle takes it
    }
  }

  /** Frees the slot of an invocation settled earlier (by its timeout) whose handler returned. */
  void releaseSlot(Invocation<?> invocation) {
    Deferred deferred = new Deferred();
    lock.lock();
    try {
      finishLocked(invocation, deferred);
      pumpLocked(engine.clock.millis(), deferred);
    } finally {
      lock.unlock();
    }
    run(deferred);
  }

  // ---- settlement ----

  /**
   * Applies the outcome of each message of a finished invocation: {@link Mark#ACK} removes it; a
   * retry mark requeues it after its delay, or, once it has had {@code
   * maxRetries + 1} deliveries, moves it to the dead-letter queue or drops it. A message past its
   * retention period expires instead of being retried.
   */
  void settle(
      Invocation<?> invocation, Mark[] outcomes, boolean onHandlerThread, boolean timedOut) {
    Deferred deferred = new Deferred();
    lock.lock();
    try {
      ConsumerBinding<?> c = consumer;
      if (c == null) {
        throw new IllegalStateException("settling a batch of queue '" + name + "' with no consumer");
      }
      long now = engine.clock.millis();
      Outcomes events = new Outcomes(this, now, engine.listening(), invocation, timedOut);
      List<StoredMessage> claimed = invocation.claimed();
      for (int i = 0; i < outcomes.length; i++) {
        StoredMessage message = claimed.get(i);
        QueueRetryOptions options = outcomes[i].retryOptions();
        if (options == null) { // acknowledged
          removeLocked(message, deferred);
          counters.acked++;
          events.acked(message);
        } else if (message.deliveries > c.settings.maxRetries()) {
          removeLocked(message, deferred);
          if (c.deadLetterQueue != null) {
            counters.deadLettered++;
            events.deadLettered(message, c.deadLetterQueue);
          } else {
            counters.dropped++;
            events.dropped(message, c.settings.maxRetries());
          }
        } else if (message.timestamp + retentionMillis < now) {
          removeLocked(message, deferred);
          counters.expired++;
          events.expired(message);
        } else {
          long delay =
              options.delaySeconds().isPresent()
                  ? options.delaySeconds().getAsInt() * 1000L
                  : c.retryDelayMillis;
          store.release(message, now + delay, now);
          counters.retried++;
          events.retried(message, Duration.ofMillis(delay));
        }
      }
      deferred.then(events::report);
      // After the outcomes: dead letters in transit count as work before the batch stops counting.
      if (invocation.settledHold()) {
        finishLocked(invocation, deferred);
      }
      pumpLocked(now, deferred);
    } finally {
      lock.unlock();
    }
    run(deferred, onHandlerThread);
  }

  private void removeLocked(StoredMessage message, Deferred deferred) {
    store.remove(message);
    engine.budget.release(BacklogBudget.cost(message));
    deferred.roomFreed = true; // waiting sends, here or on other queues, may now fit
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

  /** Counts a dead letter that {@code source} is about to move here; see {@link #incoming}. */
  void expectDeadLetter() {
    incoming.incrementAndGet();
  }

  /**
   * Returns the messages the queue holds, dead letters still on their way to it included: what a
   * shutdown report counts as undelivered.
   */
  long undelivered() {
    lock.lock();
    try {
      return store.metrics().backlogCount() + incoming.get();
    } finally {
      lock.unlock();
    }
  }

  QueueStats stats() {
    lock.lock();
    try {
      return counters.snapshot(
          store.metrics(), inFlight, consumer != null, gate.waitingCount(), settings);
    } finally {
      lock.unlock();
    }
  }

  List<StoredMessage> deadLetters(boolean drain) {
    Deferred deferred = new Deferred();
    List<StoredMessage> letters;
    lock.lock();
    try {
      if (drain) {
        letters = store.drainHeld();
        for (StoredMessage m : letters) {
          engine.budget.release(BacklogBudget.cost(m));
        }
        deferred.roomFreed = true;
        pumpLocked(engine.clock.millis(), deferred);
      } else {
        letters = store.held();
      }
    } finally {
      lock.unlock();
    }
    run(deferred);
    return letters;
  }

  /** Stops starting invocations and fails waiting sends; in-flight invocations may finish. */
  void stopDispatching() {
    Deferred deferred = new Deferred();
    lock.lock();
    try {
      dispatching = false;
      for (PendingSend pending : gate.removeAll()) {
        deferred.then(() -> pending.result.completeExceptionally(new QueueClosedException(name)));
      }
    } finally {
      lock.unlock();
    }
    run(deferred);
  }

  /** Cancels any wake-up for good; the scheduler is going away. */
  void cancelWakeUp() {
    lock.lock();
    try {
      timer.stop();
    } finally {
      lock.unlock();
    }
  }

  /** Counts a batch of dead letters leaving ({@code +1}) or arriving ({@code -1}). */
  void deadLettersInTransit(int delta) {
    engine.work.addAndGet(delta);
    if (delta < 0 && !engine.accepting()) {
      engine.signalIdle(); // called with no lock held on arrival
    }
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

  private static CompletableFuture<QueueSendResult> completed(QueueMetrics metrics) {
    return CompletableFuture.completedFuture(new QueueSendResult(new QueueMetadata(metrics)));
  }
}
