package io.queues4j.core;

import static java.util.Objects.requireNonNull;

import io.queues4j.QueueMetadata;
import io.queues4j.QueueMetrics;
import io.queues4j.QueueSendResult;
import io.queues4j.spi.Claim;
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


  /** The most messages one claim asks for. */
  private static final int MAX_FETCH = 1_000;


  /** Added to a push claim's lease beyond the batch timeout and the handler timeout. */
  private static final long LEASE_MARGIN_MILLIS = 60_000;

  final String name;
  /**
   * A FIFO queue (its name ends in {@code .fifo}): messages carry a group; the store hands out one
   * group's messages at a time, in order; batches hold one group and start without waiting.
   */
  final boolean fifo;
  /** Replaced under the lock by {@link QueueControl#update}; read without it. */
  volatile QueueSettings settings;
  final QueueStore store;
  final EngineContext engine;
  volatile long deliveryDelayMillis;
  long retentionMillis; // guarded by lock
  final ReentrantLock lock = new ReentrantLock();

  /** Written under the lock, read without it (to decide whether a dead letter is held). */
  volatile @Nullable ConsumerBinding<?> consumer;
  /** The pull consumer, if the queue has one instead of a push consumer. */
  volatile @Nullable PullLeases pull;

  // guarded by lock
  final ArrayDeque<Claim> buffer = new ArrayDeque<>();
  final ArrayDeque<Invocation<?>> running = new ArrayDeque<>();
  final BacklogGate gate;
  final QueueTimer timer;
  final QueueStats.Counters counters = new QueueStats.Counters();
  final Set<Class<?>> producerTypes = new LinkedHashSet<>();
  boolean dispatching = true;
  boolean paused; // delivery paused: nothing is claimed for consumers
  int inFlight;
  boolean fetching;
  /** Whether the store may hold ready messages this queue has not claimed (true: unknown). */
  boolean mayHaveReady = true;
  /** Bumped whenever messages may have become ready, so a claim in progress cannot miss them. */
  long changes;
  long changesAtFetch;
  long nextVisibleAt = Long.MAX_VALUE;
  long storeRetryAt = Long.MIN_VALUE;
  boolean expiring;
  long nextExpiryCheck = Long.MIN_VALUE;

  final SendIntake intake = new SendIntake(this);
  final Settler settler = new Settler(this);
  final Claimer claimer = new Claimer(this);
  final QueueControl control = new QueueControl(this);

  QueueRuntime(String name, QueueSettings settings, EngineContext engine) {
    this.name = name;
    this.fifo = name.endsWith(".fifo");
    this.settings = settings;
    this.engine = engine;
    this.store = engine.store.queue(name);
    Checks.requireState(!fifo || store.supportsFifo(),
        "queue '" + name + "' is a FIFO queue (its name ends in .fifo), which the store "
            + engine.store + " does not support");
    this.deliveryDelayMillis = settings.deliveryDelay().toMillis();
    this.retentionMillis = settings.retentionPeriod().toMillis();
    this.gate = new BacklogGate(name, settings, engine.budget, engine.waitingBudget,
        engine.waitingSends, engine.store.heapResident());
    this.timer = new QueueTimer(name, engine.scheduler, this::wake);
    store.subscribe(this::storeChanged);
  }

  /** The store says messages may have become ready (another engine's doing): claim them. */
  void storeChanged() {
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

  /** See {@link SendIntake#accept}. */
  CompletableFuture<QueueSendResult> accept(
      List<StoredMessage> messages, long now, long maxWaitMillis, String operation) {
    return intake.accept(messages, now, maxWaitMillis, operation);
  }

  /** See {@link Settler#settle}. */
  void settle(
      Invocation<?> invocation, Mark[] marks, boolean onHandlerThread, boolean timedOut) {
    settler.settle(invocation, marks, onHandlerThread, timedOut);
  }

  /** Records that messages may have become ready in the store. */
  void changedLocked() {
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

  /** Whether a consumer, push or pull, takes the queue's messages (dead letters are not held). */
  boolean hasConsumer() {
    return consumer != null || pull != null;
  }

  void releaseHeld() {
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
  void pumpLocked(long now, Deferred deferred) {
    if (gate.hasWaiting()) {
      intake.admitWaitingLocked(now, deferred);
    }
    if (!expiring && now >= nextExpiryCheck) {
      QueueMetrics metrics = store.metrics();
      if (metrics.backlogCount() > 0 && metrics.oldestMessageTimestamp() < now - retentionMillis) {
        expiring = true;
        engine.work.incrementAndGet();
        long cutoff = now - retentionMillis;
        deferred.then(() -> settler.expire(cutoff));
      }
    }
    ConsumerBinding<?> c = consumer;
    if (c != null && dispatching && !paused) {
      int batchSize = c.settings.maxBatchSize();
      Claim first;
      while (inFlight < c.maxConcurrency
          && (first = buffer.peekFirst()) != null
          && (fifo // a FIFO group's run starts at once: more of the group waits for it anyway
              || buffer.size() >= batchSize
              || first.message().visibleAt() + c.batchTimeoutMillis <= now)) {
        deferred.start(startLocked(c, now));
      }
      if (!fetching && storeRetryAt <= now && (mayHaveReady || nextVisibleAt <= now)) {
        int free = c.maxConcurrency - inFlight;
        int want = fifo
            ? (buffer.isEmpty() && free > 0 ? batchSize : 0) // per group, a group per free slot
            : (int) Math.min(MAX_FETCH, (long) batchSize * free) - buffer.size();
        if (want > 0) {
          fetching = true;
          changesAtFetch = changes;
          engine.work.incrementAndGet();
          long lease = Durations.saturatedAdd(now,
              c.batchTimeoutMillis + c.handlerTimeoutMillis + LEASE_MARGIN_MILLIS);
          deferred.then(
              () -> claimer.claimSomewhere(want, free, now, lease, deferred.onHandlerThread));
        }
      }
    }
    rescheduleLocked(now);
  }

  <B> Invocation<B> startLocked(ConsumerBinding<B> c, long now) {
    int size = Math.min(c.settings.maxBatchSize(), buffer.size());
    List<Claim> claims = new ArrayList<>(size);
    if (fifo) {
      String group = requireNonNull(buffer.peekFirst()).message().groupId();
      Claim next;
      while (claims.size() < size && (next = buffer.peekFirst()) != null
          && java.util.Objects.equals(next.message().groupId(), group)) { // one group a batch
        claims.add(buffer.pollFirst());
      }
      size = claims.size();
    } else {
      for (int i = 0; i < size; i++) {
        claims.add(buffer.pollFirst());
      }
    }
    inFlight++;
    engine.work.incrementAndGet(); // before anything can settle it: see EngineContext.work
    counters.deliveries += size;
    Invocation<B> invocation =
        new Invocation<>(this, c, claims, now, new QueueMetadata(store.metrics()));
    running.addLast(invocation);
    return invocation;
  }

  void rescheduleLocked(long now) {
    long next = Long.MAX_VALUE;
    ConsumerBinding<?> c = consumer;
    if (c != null && dispatching && !paused) {
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
    PullLeases p = pull;
    if (p != null) {
      next = Math.min(next, p.nextLeaseEnd());
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
  void wake(QueueTimer.Token task) {
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
      PullLeases p = pull;
      if (p != null) {
        p.expireLocked(now, deferred);
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
  void run(Deferred deferred, boolean onHandlerThread) {
    deferred.onHandlerThread = onHandlerThread; // a claim made here may start its batch inline
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
    if (deferred.workDone > 0) { // last: a closing engine sees zero only once all is reported
      engine.work.addAndGet(-deferred.workDone);
      if (!engine.accepting()) {
        engine.signalIdle(); // never under a queue lock: awaitIdle takes them
      }
    }
  }

  void launch(Invocation<?> invocation, boolean inline) {
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
        settler.unclaim(invocation);
      } else {
        invocation.neverRuns(); // its timeout settled it already
      }
    }
  }

  /** Frees the invocation's concurrency slot: it has returned and its batch is settled. */
  void finishLocked(Invocation<?> invocation, Deferred deferred) {
    inFlight--;
    running.remove(invocation);
    workDoneLocked(deferred);
  }

  /** Counts one piece of work (an invocation, a store operation) done. */
  void workDoneLocked(Deferred deferred) {
    deferred.workDone++; // counted off once everything it entails (events included) is done
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

  // ---- inspection and lifecycle ----

  QueueMetrics metrics() {
    return store.metrics();
  }

  /** Invocations holding a concurrency slot. */
  int inFlight() {
    lock.lock();
    try {
      return inFlight;
    } finally {
      lock.unlock();
    }
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
