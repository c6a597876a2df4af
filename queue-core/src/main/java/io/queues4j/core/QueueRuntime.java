package io.queues4j.core;

import io.queues4j.QueueClosedException;
import io.queues4j.QueueException;
import io.queues4j.QueueMetadata;
import io.queues4j.QueueMetrics;
import io.queues4j.QueueRetryOptions;
import io.queues4j.QueueSendResult;
import io.queues4j.QueueStorageException;
import io.queues4j.StorageLimitExceededException;
import io.queues4j.spi.Claim;
import io.queues4j.spi.ClaimResult;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.SettleResult;
import io.queues4j.spi.StoredMessage;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One queue: its store, its consumer, its waiting producers, and the rules between them.
 *
 * <p><b>Concurrency.</b> One {@link ReentrantLock} per queue guards the claimed-but-undelivered
 * buffer, the counters, the in-flight set, the waiting sends and the wake-up. Work is
 * <em>chosen</em> under the lock into a {@link Deferred} and <em>carried out</em> after it is
 * released: store operations, invocations, events, futures, logs. No user code, no store call
 * (except the non-blocking {@link QueueStore#metrics()}) and no other queue's lock is entered while
 * the lock is held.
 *
 * <p><b>Data path.</b> A send reserves room under the lock, then adds to the store; once the store
 * has the messages, the send completes and the pump runs. The pump claims ready messages from the
 * store into a buffer (at most one claim in progress, at most {@code maxBatchSize} per free
 * concurrency slot), and cuts batches from the buffer: a batch starts when {@code maxBatchSize}
 * messages are buffered, or when the first of them has been visible for {@code maxBatchTimeout}.
 * An invocation's outcomes become one store settlement (acks, retries, dead-letter moves) whose
 * events are reported once the store has applied it.
 *
 * <p><b>Time.</b> The queue keeps at most one live wake-up in the engine's {@link Scheduler}, at
 * the earliest of: the buffered batch's timeout, the next delayed message, the next handler
 * deadline, the next waiting send's deadline, and the next retention check (at most one a second).
 */
final class QueueRuntime {
  private static final Logger logger = LoggerFactory.getLogger(QueueRuntime.class);

  /** How long the executor's refusal holds messages back before the next attempt. */
  static final long REFUSED_BACKOFF_MILLIS = 1_000;

  /** How long a failed store operation waits before it is tried again. */
  private static final long STORE_RETRY_MILLIS = 1_000;

  /** The most messages one claim asks for. */
  private static final int MAX_FETCH = 1_000;

  /** The most messages one retention sweep removes; the next sweep follows at once. */
  private static final int EXPIRE_CHUNK = 4_096;

  /** Added to a push claim's lease beyond the batch timeout and the handler timeout. */
  private static final long LEASE_MARGIN_MILLIS = 60_000;

  final String name;
  final QueueSettings settings;
  final QueueStore store;
  private final EngineContext engine;
  private final long deliveryDelayMillis;
  private final long retentionMillis;
  private final ReentrantLock lock = new ReentrantLock();

  /** Written under the lock, read without it (to decide whether a dead letter is held). */
  private volatile @Nullable ConsumerBinding<?> consumer;

  // guarded by lock
  private final ArrayDeque<Claim> buffer = new ArrayDeque<>();
  private final ArrayDeque<Invocation<?>> running = new ArrayDeque<>();
  private final BacklogGate gate;
  private final QueueTimer timer;
  private final QueueStats.Counters counters = new QueueStats.Counters();
  private final Set<Class<?>> producerTypes = new LinkedHashSet<>();
  private boolean dispatching = true;
  private int inFlight;
  private boolean fetching;
  /** Whether the store may hold ready messages this queue has not claimed (true: unknown). */
  private boolean mayHaveReady = true;
  /** Bumped whenever messages may have become ready, so a claim in progress cannot miss them. */
  private long changes;
  private long changesAtFetch;
  private long nextVisibleAt = Long.MAX_VALUE;
  private long storeRetryAt = Long.MIN_VALUE;
  private boolean expiring;
  private long nextExpiryCheck = Long.MIN_VALUE;
  private long pendingCount; // reserved sends not yet in the store
  private long pendingBytes;

  QueueRuntime(String name, QueueSettings settings, EngineContext engine) {
    this.name = name;
    this.settings = settings;
    this.engine = engine;
    this.store = engine.store.queue(name);
    this.deliveryDelayMillis = settings.deliveryDelay().toMillis();
    this.retentionMillis = settings.retentionPeriod().toMillis();
    this.gate = new BacklogGate(name, settings, engine.budget, engine.waitingBudget,
        engine.waitingSends, engine.store.heapResident());
    this.timer = new QueueTimer(name, engine.scheduler, this::wake);
    store.subscribe(this::storeChanged);
  }

  /** The store says messages may have become ready (another engine's doing): claim them. */
  private void storeChanged() {
    Deferred deferred = new Deferred();
    lock.lock();
    try {
      changedLocked();
      pumpLocked(engine.clock.millis(), deferred);
    } finally {
      lock.unlock();
    }
    run(deferred);
  }

  EngineContext engine() {
    return engine;
  }

  long deliveryDelayMillis() {
    return deliveryDelayMillis;
  }

  // ---- intake ----

  /**
   * Accepts messages sent by a producer, all or none: reserves room under the lock, then stores
   * them. If the backlog has no room, the send fails at once, or, with {@code maxWaitMillis > 0},
   * waits in line for room until that deadline.
   *
   * @throws QueueClosedException if the engine no longer accepts messages
   * @throws StorageLimitExceededException if there is no room and the send may not wait
   */
  CompletableFuture<QueueSendResult> accept(
      List<StoredMessage> messages, long now, long maxWaitMillis, String operation) {
    long bytes = 0;
    for (StoredMessage m : messages) {
      bytes += m.size();
    }
    long cost = BacklogBudget.cost(messages);
    Deferred deferred = new Deferred();
    PendingSend waiting = null;
    lock.lock();
    try {
      if (!engine.accepting()) {
        throw new QueueClosedException(name);
      }
      StorageLimitExceededException refusal =
          gate.hasWaiting()
              ? gate.queuedBehind(cost)
              : gate.reserve(this::backlogLocked, messages.size(), bytes, cost, false);
      if (refusal != null) {
        if (maxWaitMillis <= 0) {
          counters.refusedSends++;
          throw refusal;
        }
        waiting = new PendingSend(messages, bytes, cost,
            Durations.saturatedAdd(now, maxWaitMillis), operation);
        StorageLimitExceededException full = gate.enqueue(waiting);
        if (full != null) {
          counters.refusedSends++;
          throw full;
        }
        rescheduleLocked(now);
      } else {
        reserveLocked(messages.size(), bytes);
      }
    } finally {
      lock.unlock();
    }
    run(deferred);
    if (waiting != null) {
      return waiting.result;
    }
    CompletableFuture<QueueSendResult> result = new CompletableFuture<>();
    storeMessages(messages, bytes, cost, operation, result);
    return result;
  }

  /** The backlog a send's limits are checked against: what is stored, and what is on its way. */
  private QueueMetrics backlogLocked() {
    QueueMetrics stored = store.metrics();
    return pendingCount == 0
        ? stored
        : new QueueMetrics(stored.backlogCount() + pendingCount,
            stored.backlogBytes() + pendingBytes, stored.oldestMessageTimestamp());
  }

  private void reserveLocked(int count, long bytes) {
    pendingCount += count;
    pendingBytes += bytes;
    engine.work.incrementAndGet(); // the store's add counts as work until it completes
  }

  /** Hands reserved messages to the store; {@code result} completes once they are stored. */
  private void storeMessages(List<StoredMessage> messages, long bytes, long cost, String operation,
      CompletableFuture<QueueSendResult> result) {
    StoreCalls.call(() -> store.add(messages),
        (ok, failure) -> added(messages, bytes, cost, operation, result, failure));
  }

  private void added(List<StoredMessage> messages, long bytes, long cost, String operation,
      CompletableFuture<QueueSendResult> result, @Nullable Throwable failure) {
    Deferred deferred = new Deferred();
    QueueMetrics metrics;
    lock.lock();
    try {
      pendingCount -= messages.size();
      pendingBytes -= bytes;
      long now = engine.clock.millis();
      if (failure == null) {
        counters.sent += messages.size();
        for (StoredMessage m : messages) {
          nextVisibleAt = Math.min(nextVisibleAt, m.visibleAt());
        }
        changedLocked();
        if (engine.listening()) {
          deferred.then(() -> {
            for (StoredMessage m : messages) {
              engine.emit(new QueueEvent.Sent(name, Instant.ofEpochMilli(m.timestamp()), m.id(),
                  m.contentType(), m.size(), Instant.ofEpochMilli(m.visibleAt())));
            }
          });
        }
      } else {
        gate.release(cost);
        counters.failedSends++;
        deferred.roomFreed = true;
      }
      workDoneLocked(deferred);
      pumpLocked(now, deferred);
      metrics = store.metrics();
    } finally {
      lock.unlock();
    }
    run(deferred);
    if (failure == null) {
      result.complete(new QueueSendResult(new QueueMetadata(metrics)));
    } else {
      Throwable cause = failure;
      logger.error("Store failed to add {} messages to queue '{}'; the {} failed",
          messages.size(), name, operation, cause);
      result.completeExceptionally(cause instanceof QueueException
          ? cause : new QueueStorageException(name, operation, cause));
    }
  }

  /** Records that messages may have become ready in the store. */
  private void changedLocked() {
    mayHaveReady = true;
    changes++;
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
      changedLocked();
    } finally {
      lock.unlock();
    }
    releaseHeld(); // dead letters held for lack of a consumer become deliverable
  }

  @Nullable ConsumerBinding<?> consumer() {
    return consumer;
  }

  boolean hasConsumer() {
    return consumer != null;
  }

  private void releaseHeld() {
    Deferred deferred = new Deferred();
    engine.work.incrementAndGet();
    StoreCalls.call(() -> store.releaseHeld(engine.clock.millis()), (released, failure) -> {
      lock.lock();
      try {
        if (failure != null) {
          deferred.then(() -> logger.error(
              "Store failed to release the held dead letters of queue '{}'", name, failure));
        }
        changedLocked();
        workDoneLocked(deferred);
        pumpLocked(engine.clock.millis(), deferred);
      } finally {
        lock.unlock();
      }
      run(deferred);
    });
  }

  /**
   * Learns that a settlement of {@code source} moved {@code count} dead letters here, held or not,
   * evicting {@code evicted} to keep within the dead-letter capacity.
   */
  void deadLettersArrived(
      int count, boolean held, List<io.queues4j.spi.SettleResult.Eviction> evicted, String source) {
    Deferred deferred = new Deferred();
    boolean release;
    lock.lock();
    try {
      counters.deadLettersReceived += count;
      counters.deadLettersEvicted += evicted.size();
      if (!evicted.isEmpty()) {
        long cost = 0;
        for (var e : evicted) {
          cost += BacklogBudget.cost(e.message());
        }
        gate.release(cost);
        deferred.roomFreed = true;
        deferred.then(() -> Reports.evicted(this, evicted, count, source));
      }
      changedLocked();
      // held because no consumer was attached when it was decided; one is now: release them
      release = held && consumer != null;
      pumpLocked(engine.clock.millis(), deferred);
    } finally {
      lock.unlock();
    }
    run(deferred);
    if (release) {
      releaseHeld();
    }
  }

  // ---- the pump ----

  /** Runs the queue forward to {@code now}: call after any change, under the lock. */
  private void pumpLocked(long now, Deferred deferred) {
    if (gate.hasWaiting()) {
      admitWaitingLocked(now, deferred);
    }
    if (!expiring && now >= nextExpiryCheck) {
      QueueMetrics metrics = store.metrics();
      if (metrics.backlogCount() > 0 && metrics.oldestMessageTimestamp() < now - retentionMillis) {
        expiring = true;
        engine.work.incrementAndGet();
        long cutoff = now - retentionMillis;
        deferred.then(() -> expire(cutoff));
      }
    }
    ConsumerBinding<?> c = consumer;
    if (c != null && dispatching) {
      int batchSize = c.settings.maxBatchSize();
      Claim first;
      while (inFlight < c.maxConcurrency
          && (first = buffer.peekFirst()) != null
          && (buffer.size() >= batchSize
              || first.message().visibleAt() + c.batchTimeoutMillis <= now)) {
        deferred.start(startLocked(c, now));
      }
      if (!fetching && storeRetryAt <= now && (mayHaveReady || nextVisibleAt <= now)) {
        int want =
            (int) Math.min(MAX_FETCH, (long) batchSize * (c.maxConcurrency - inFlight))
                - buffer.size();
        if (want > 0) {
          fetching = true;
          changesAtFetch = changes;
          engine.work.incrementAndGet();
          long lease = Durations.saturatedAdd(now,
              c.batchTimeoutMillis + c.handlerTimeoutMillis + LEASE_MARGIN_MILLIS);
          deferred.then(() -> fetch(want, now, lease));
        }
      }
    }
    rescheduleLocked(now);
  }

  private void admitWaitingLocked(long now, Deferred deferred) {
    PendingSend admitted;
    while ((admitted = gate.admitFirst(this::backlogLocked)) != null) {
      reserveLocked(admitted.messages.size(), admitted.bytes);
      PendingSend send = admitted;
      deferred.then(() -> storeMessages(
          send.messages, send.bytes, send.cost, send.operation, send.result));
    }
    for (BacklogGate.Refused refused : gate.expire(now, this::backlogLocked)) {
      counters.refusedSends++;
      deferred.then(() -> refused.send().result.completeExceptionally(refused.reason()));
    }
  }

  private <B> Invocation<B> startLocked(ConsumerBinding<B> c, long now) {
    int size = Math.min(c.settings.maxBatchSize(), buffer.size());
    List<Claim> claims = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      claims.add(buffer.pollFirst());
    }
    inFlight++;
    engine.work.incrementAndGet(); // before anything can settle it: see EngineContext.work
    counters.deliveries += size;
    Invocation<B> invocation =
        new Invocation<>(this, c, claims, now, new QueueMetadata(store.metrics()));
    running.addLast(invocation);
    return invocation;
  }

  private void fetch(int want, long now, long leaseUntil) {
    StoreCalls.call(() -> store.claim(want, now, leaseUntil),
        (result, failure) -> fetched(want, result, failure));
  }

  private void fetched(int want, @Nullable ClaimResult result, @Nullable Throwable failure) {
    Deferred deferred = new Deferred();
    lock.lock();
    try {
      fetching = false;
      long now = engine.clock.millis();
      if (result == null) {
        storeRetryAt = now + STORE_RETRY_MILLIS;
        deferred.then(() -> logger.error(
            "Store failed to claim messages of queue '{}'; trying again in {} ms",
            name, STORE_RETRY_MILLIS, failure));
      } else {
        nextVisibleAt = result.nextVisibleAt();
        if (result.claims().size() < want && changes == changesAtFetch) {
          mayHaveReady = false; // nothing was added or retried meanwhile: the store is drained
        }
        acceptClaimsLocked(result.claims(), now, deferred);
      }
      workDoneLocked(deferred);
      pumpLocked(now, deferred);
    } finally {
      lock.unlock();
    }
    run(deferred);
  }

  /**
   * Buffers fresh claims for delivery. Claims that cannot be delivered are settled at once: given
   * back if dispatching stopped meanwhile, or dead-lettered (or dropped) if their delivery is
   * already past {@code maxRetries + 1}, which happens when a process died during the last one.
   */
  private void acceptClaimsLocked(List<Claim> claims, long now, Deferred deferred) {
    ConsumerBinding<?> c = consumer;
    Outcomes settle = null;
    for (Claim claim : claims) {
      if (c == null || !dispatching) {
        settle = settle != null ? settle : new Outcomes(this, now, engine.listening(), null, false);
        settle.givenBack(claim, claim.message().visibleAt());
      } else if (claim.message().attempts() > c.settings.maxRetries() + 1) {
        settle = settle != null ? settle : new Outcomes(this, now, engine.listening(), null, false);
        lastDeliveryLocked(c, claim, settle);
      } else {
        buffer.addLast(claim);
      }
    }
    if (settle != null) {
      submitLocked(settle, deferred);
    }
  }

  private void rescheduleLocked(long now) {
    long next = Long.MAX_VALUE;
    ConsumerBinding<?> c = consumer;
    if (c != null && dispatching) {
      Claim first = buffer.peekFirst();
      if (first != null && inFlight < c.maxConcurrency) {
        next = first.message().visibleAt() + c.batchTimeoutMillis;
      }
      boolean room = buffer.size()
          < Math.min(MAX_FETCH, (long) c.settings.maxBatchSize() * (c.maxConcurrency - inFlight));
      long due = Math.max(nextVisibleAt, storeRetryAt);
      if (!fetching && room && due > now) { // no room: a slot freed later pumps the queue anyway
        next = Math.min(next, due);
      }
    }
    for (Invocation<?> invocation : running) {
      next = Math.min(next, invocation.deadline);
    }
    next = Math.min(next, gate.nextDeadline());
    if (!expiring) {
      QueueMetrics metrics = store.metrics();
      if (metrics.backlogCount() > 0) {
        long oldest = metrics.oldestMessageTimestamp();
        long expiry = Math.max(Math.max(oldest + retentionMillis + 1, now + 1), nextExpiryCheck);
        next = Math.min(next, (expiry + 999) / 1000 * 1000);
      }
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
  void run(Deferred deferred) {
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
      long now = engine.clock.millis();
      Outcomes settle = new Outcomes(this, now, false, null, false);
      for (Claim claim : invocation.claimed()) {
        settle.givenBack(claim, now + REFUSED_BACKOFF_MILLIS);
      }
      counters.deliveries -= invocation.claimed().size();
      submitLocked(settle, deferred);
      finishLocked(invocation, deferred);
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
    workDoneLocked(deferred);
  }

  /** Counts one piece of work (an invocation, a store operation) done. */
  private void workDoneLocked(Deferred deferred) {
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
   * Decides the outcome of each message of a finished invocation: {@link Mark#ACK} removes it; a
   * retry mark requeues it after its delay, or, once it has had {@code maxRetries + 1} deliveries,
   * moves it to the dead-letter queue or drops it. A message past its retention period expires
   * instead of being retried. The store applies them all in one step, after the lock is released.
   */
  void settle(
      Invocation<?> invocation, Mark[] marks, boolean onHandlerThread, boolean timedOut) {
    Deferred deferred = new Deferred();
    lock.lock();
    try {
      ConsumerBinding<?> c = consumer;
      if (c == null) {
        throw new IllegalStateException("settling a batch of queue '" + name + "' with no consumer");
      }
      long now = engine.clock.millis();
      Outcomes outcomes = new Outcomes(this, now, engine.listening(), invocation, timedOut);
      List<Claim> claimed = invocation.claimed();
      for (int i = 0; i < marks.length; i++) {
        Claim claim = claimed.get(i);
        QueueRetryOptions options = marks[i].retryOptions();
        if (options == null) {
          counters.acked++;
          outcomes.acked(claim);
        } else if (claim.message().attempts() > c.settings.maxRetries()) {
          lastDeliveryLocked(c, claim, outcomes);
        } else if (claim.message().timestamp() < now - retentionMillis) {
          counters.expired++;
          outcomes.expired(claim);
        } else {
          long delay =
              options.delaySeconds().isPresent()
                  ? options.delaySeconds().getAsInt() * 1000L
                  : c.retryDelayMillis;
          counters.retried++;
          outcomes.retried(claim, now + delay);
        }
      }
      submitLocked(outcomes, deferred); // counted as work before the invocation stops counting
      if (invocation.settledHold()) {
        finishLocked(invocation, deferred);
      }
      pumpLocked(now, deferred);
    } finally {
      lock.unlock();
    }
    run(deferred, onHandlerThread);
  }

  /** A message failed its last delivery: to the dead-letter queue, or dropped. */
  private void lastDeliveryLocked(ConsumerBinding<?> c, Claim claim, Outcomes outcomes) {
    QueueRuntime target = c.deadLetterQueue;
    if (target != null) {
      counters.deadLettered++;
      outcomes.deadLettered(claim, target);
    } else {
      counters.dropped++;
      outcomes.dropped(claim, c.settings.maxRetries());
    }
  }

  /** Has the store apply {@code outcomes} once the lock is released. */
  private void submitLocked(Outcomes outcomes, Deferred deferred) {
    if (outcomes.isEmpty()) {
      return;
    }
    engine.work.incrementAndGet();
    deferred.then(() -> apply(outcomes));
  }

  private void apply(Outcomes outcomes) {
    StoreCalls.call(() -> store.settle(outcomes.settlements()),
        (result, failure) -> applied(outcomes, result, failure));
  }

  private void applied(Outcomes outcomes, @Nullable SettleResult result, @Nullable Throwable failure) {
    if (result == null) { // keep the claims; try again, the work stays counted meanwhile
      logger.error("Store failed to settle {} messages of queue '{}'; trying again in {} ms",
          outcomes.settlements().size(), name, STORE_RETRY_MILLIS, failure);
      engine.scheduler.schedule(
          Instant.ofEpochMilli(engine.clock.millis() + STORE_RETRY_MILLIS), () -> apply(outcomes));
      return;
    }
    Deferred deferred = new Deferred();
    lock.lock();
    try {
      if (outcomes.earliestRetry() != Long.MAX_VALUE) {
        nextVisibleAt = Math.min(nextVisibleAt, outcomes.earliestRetry());
        changedLocked();
      }
      if (outcomes.released() > 0) {
        gate.release(outcomes.released());
        deferred.roomFreed = true;
      }
      workDoneLocked(deferred);
      pumpLocked(engine.clock.millis(), deferred);
    } finally {
      lock.unlock();
    }
    run(deferred);
    outcomes.report(result);
  }

  // ---- retention ----

  private void expire(long cutoff) {
    StoreCalls.call(() -> store.expire(cutoff, EXPIRE_CHUNK),
        (expired, failure) -> expired(expired, failure));
  }

  private void expired(@Nullable List<StoredMessage> expired, @Nullable Throwable failure) {
    Deferred deferred = new Deferred();
    lock.lock();
    try {
      expiring = false;
      long now = engine.clock.millis();
      if (expired == null) {
        deferred.then(() -> logger.error(
            "Store failed to expire old messages of queue '{}'", name, failure));
        nextExpiryCheck = now + STORE_RETRY_MILLIS;
      } else {
        // a full chunk: more to do, at once; else not before a second from now
        nextExpiryCheck = expired.size() >= EXPIRE_CHUNK ? now : now + 1_000;
        if (!expired.isEmpty()) {
          counters.expired += expired.size();
          gate.release(BacklogBudget.cost(expired));
          deferred.roomFreed = true;
          deferred.then(() -> Reports.expired(this, expired));
        }
      }
      workDoneLocked(deferred);
      pumpLocked(now, deferred);
    } finally {
      lock.unlock();
    }
    run(deferred);
  }

  // ---- inspection and lifecycle ----

  QueueMetrics metrics() {
    return store.metrics();
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

  /** Lists (or removes) the held dead letters; blocks until the store answers. */
  List<StoredMessage> deadLetters(boolean drain) {
    List<StoredMessage> letters = StoreCalls.join(store.held(drain), name, "read dead letters");
    if (drain && !letters.isEmpty()) {
      Deferred deferred = new Deferred();
      lock.lock();
      try {
        gate.release(BacklogBudget.cost(letters));
        deferred.roomFreed = true;
        pumpLocked(engine.clock.millis(), deferred);
      } finally {
        lock.unlock();
      }
      run(deferred);
    }
    return letters;
  }

  /**
   * Stops starting invocations and fails waiting sends; in-flight invocations may finish.
   * Messages claimed but not yet delivered go back to the store, their attempt not counted.
   */
  void stopDispatching() {
    Deferred deferred = new Deferred();
    lock.lock();
    try {
      dispatching = false;
      for (PendingSend pending : gate.removeAll()) {
        deferred.then(() -> pending.result.completeExceptionally(new QueueClosedException(name)));
      }
      if (!buffer.isEmpty()) {
        Outcomes giveBack = new Outcomes(this, engine.clock.millis(), false, null, false);
        Claim claim;
        while ((claim = buffer.pollFirst()) != null) {
          giveBack.givenBack(claim, claim.message().visibleAt());
        }
        submitLocked(giveBack, deferred);
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

  void emit(QueueEvent event) {
    engine.emit(event);
  }

  boolean listening() {
    return engine.listening();
  }

  Instant now() {
    return engine.now();
  }
}
