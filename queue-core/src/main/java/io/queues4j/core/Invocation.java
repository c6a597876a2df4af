package io.queues4j.core;

import static java.util.Objects.requireNonNull;

import io.queues4j.Message;
import io.queues4j.MessageBatch;
import io.queues4j.QueueContext;
import io.queues4j.QueueMetadata;
import io.queues4j.QueueRetryOptions;
import io.queues4j.spi.Claim;
import io.queues4j.spi.StoredMessage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One handler invocation: the batch the handler sees, its {@code waitUntil} context, and the rules
 * that turn marks and the handler's outcome into one outcome per message.
 *
 * <p>Lifecycle: claimed under the queue lock, then {@link #run} on the executor (no lock held),
 * then settled exactly once (closing the batch mark decides), by whichever comes first of the handler returning with its stages
 * complete, the handler timeout, or the executor refusing the task. Settlement hands the outcomes
 * to {@link QueueRuntime#settle}.
 */
final class Invocation<B> implements Runnable, MessageBatch<B>, QueueContext {
  private static final Logger logger = LoggerFactory.getLogger(Invocation.class);

  private static final VarHandle BATCH_MARK;

  static {
    try {
      BATCH_MARK = MethodHandles.lookup().findVarHandle(Invocation.class, "batchMark", Mark.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final QueueRuntime runtime;
  private final ConsumerBinding<B> consumer;
  private final List<Claim> claimed;
  private final QueueMetadata metadata;
  final long dispatchedAt;
  final long deadline;

  /**
   * Parallel to {@link #claimed}: {@code null} until decoded, then a {@link DeliveredMessage} or
   * {@link #UNDECODABLE}. Read at settlement from any thread, hence atomic.
   */
  private final AtomicReferenceArray<@Nullable Object> delivered;

  private static final Undecodable UNDECODABLE = new Undecodable();

  /** The slot of a message whose body could not be decoded. */
  private static final class Undecodable {}

  private List<Message<B>> messages = List.of();
  private final AtomicInteger pending = new AtomicInteger(1);
  /** Holds on the concurrency slot: one for the handler's run, one for the settlement. */
  private final AtomicInteger slotHolds = new AtomicInteger(2);
  private volatile @Nullable Throwable failure;
  private final Object runnerLock = new Object();
  private @Nullable Thread runner; // guarded by runnerLock

  @SuppressWarnings("unused") // accessed through BATCH_MARK
  private volatile @Nullable Mark batchMark;

  Invocation(
      QueueRuntime runtime,
      ConsumerBinding<B> consumer,
      List<Claim> claimed,
      long dispatchedAt,
      QueueMetadata metadata) {
    this.runtime = runtime;
    this.consumer = consumer;
    this.claimed = claimed;
    this.dispatchedAt = dispatchedAt;
    this.deadline = dispatchedAt + consumer.handlerTimeoutMillis;
    this.metadata = metadata;
    this.delivered = new AtomicReferenceArray<>(claimed.size());
  }

  ConsumerBinding<B> consumer() {
    return consumer;
  }

  EngineContext engine() {
    return runtime.engine();
  }

  List<Claim> claimed() {
    return claimed;
  }

  /**
   * The invocation whose handler is running on the current thread, if any: lets {@link
   * QueueEngine#shutdown} called from inside a handler skip waiting for its own caller.
   */
  private static final ThreadLocal<@Nullable Invocation<?>> CURRENT = new ThreadLocal<>();

  static @Nullable Invocation<?> current() {
    return CURRENT.get();
  }

  @Override
  public void run() {
    if (runtime.listening()) {
      runtime.emit(Outcomes.delivered(runtime, this));
    }
    if (isSettled()) { // timed out or refused before it started
      handlerDone();
      return;
    }
    // A same-thread executor runs this on a producer's thread: its interrupt status is the
    // caller's, not the handler's, so park it for the handler's run and restore it afterwards.
    boolean callerInterrupted = Thread.interrupted();
    Invocation<?> outer = CURRENT.get();
    CURRENT.set(this);
    synchronized (runnerLock) {
      runner = Thread.currentThread();
    }
    try {
      decode();
      if (!messages.isEmpty()) {
        consumer.handler.queue(this, this);
      }
    } catch (Throwable t) { // a handler's Error fails its batch; the engine stays live
      fail(t);
      FailureLog.warn(logger, t,
          "Handler of queue '{}' failed on messages {}; those not acknowledged will be retried",
          queue(), ids());
      reportFailure(ids(), t);
    } finally {
      synchronized (runnerLock) {
        runner = null;
      }
      CURRENT.set(outer);
      Thread.interrupted(); // an interrupt from timeOut() or the handler is not for the caller
      if (callerInterrupted) {
        Thread.currentThread().interrupt();
      }
    }
    handlerDone();
    stageDone(true);
  }

  /**
   * Gives up the handler's hold on the concurrency slot. The slot is free once the handler has
   * returned <em>and</em> the batch is settled, so a handler that ignores the interrupt at its
   * timeout keeps its slot, and {@code maxConcurrency} bounds the threads running user code.
   */
  private void handlerDone() {
    if (slotHolds.decrementAndGet() == 0) {
      runtime.releaseSlot(this); // settled earlier (timed out): nothing else will free it
    }
  }

  /** Gives up the settlement's hold on the slot; returns whether the slot is now free. */
  boolean settledHold() {
    return slotHolds.decrementAndGet() == 0;
  }

  /**
   * The executor refused the task after a timeout had already settled it: it will never run, so
   * the handler's hold goes now.
   */
  void neverRuns() {
    handlerDone();
  }

  private void decode() {
    List<Message<B>> decoded = new ArrayList<>(claimed.size());
    for (int i = 0; i < claimed.size(); i++) {
      StoredMessage stored = claimed.get(i).message();
      try {
        DeliveredMessage<B> message = new DeliveredMessage<>(this, stored, consumer.decode(stored));
        decoded.add(message);
        delivered.set(i, message);
      } catch (Throwable e) { // a custom deserializer's Error too: that message fails, not all
        delivered.set(i, UNDECODABLE);
        reportFailure(List.of(stored.id()), e);
        FailureLog.warn(logger, e,
            "Message {} of queue '{}' cannot be decoded as {}; it counts as a failed delivery"
                + " (attempt {})",
            stored.id(), queue(), consumer.reader.type(), stored.attempts());
      }
    }
    messages = Collections.unmodifiableList(decoded);
  }

  // ---- MessageBatch ----

  @Override
  public String queue() {
    return runtime.name;
  }

  @Override
  public List<Message<B>> messages() {
    return messages;
  }

  @Override
  public QueueMetadata metadata() {
    return metadata;
  }

  @Override
  public void ackAll() {
    markBatch(Mark.ACK, "ackAll()");
  }

  @Override
  public void retryAll(QueueRetryOptions options) {
    requireNonNull(options, "options");
    markBatch(Mark.retry(options), "retryAll()");
  }

  private void markBatch(Mark value, String call) {
    if (BATCH_MARK.compareAndSet(this, null, value)) {
      return;
    }
    Mark current = batchMark();
    if (current == null) {
      return; // unreachable: the mark is only ever set once
    }
    if (current == Mark.CLOSED) {
      logger.warn(
          "Calling {} on a batch of queue '{}' after its invocation ended has no effect.",
          call, queue());
    } else if (current.isAck() != value.isAck()) {
      logger.warn(
          "Calling {} on a batch of queue '{}' after calling {} has no effect.",
          call, queue(), current.call(true));
    }
  }

  @Nullable Mark batchMark() {
    return (Mark) BATCH_MARK.getVolatile(this);
  }

  // ---- QueueContext ----

  @Override
  public void waitUntil(CompletionStage<?> stage) {
    requireNonNull(stage, "stage");
    int count;
    do {
      count = pending.get();
      if (count == 0 || isSettled()) {
        logger.warn(
            "waitUntil() on a batch of queue '{}' after its invocation ended has no effect.",
            queue());
        return;
      }
    } while (!pending.compareAndSet(count, count + 1));
    try {
      whenComplete(stage);
    } catch (Throwable t) { // a custom CompletionStage whose whenComplete throws: not a stage
      stageDone(false);
      throw t;
    }
  }

  private void whenComplete(CompletionStage<?> stage) {
    stage.whenComplete(
        (value, error) -> {
          try {
            if (error != null) {
              fail(error);
              FailureLog.warn(logger, error,
                  "A waitUntil() stage of queue '{}' failed on messages {}; those not"
                      + " acknowledged will be retried",
                  queue(), ids());
              reportFailure(ids(), error);
            }
          } finally {
            stageDone(false);
          }
        });
  }

  // ---- settlement ----

  private void fail(Throwable t) {
    if (failure == null) {
      failure = t;
    }
  }

  /**
   * Counts down the handler and its stages; the last one settles. {@code onHandlerThread} tells
   * whether this is the handler's own thread after it returned, where the queue may run its next
   * batch right away.
   */
  private void stageDone(boolean onHandlerThread) {
    if (pending.decrementAndGet() == 0) {
      settle(failure == null, onHandlerThread);
    }
  }

  /** Called by the queue when the deadline passes: the invocation fails and is interrupted. */
  void timeOut() {
    Mark batch = closeBatch();
    if (batch == Mark.CLOSED) {
      return;
    }
    Mark[] outcomes = outcomes(false, batch); // before anything else: later marks are late
    synchronized (runnerLock) {
      if (runner != null) {
        runner.interrupt();
      }
    }
    logger.warn(
        "Handler of queue '{}' timed out after {} on messages {}; those not acknowledged will be"
            + " retried",
        queue(), consumer.settings.handlerTimeout(), ids());
    reportFailure(
        ids(),
        new TimeoutException(
            "handler of queue '" + queue() + "' timed out after "
                + consumer.settings.handlerTimeout()));
    runtime.settle(this, outcomes, false, true);
  }

  /** Called when the executor refuses the task: the messages return undelivered. */
  boolean refuse() {
    return closeBatch() != Mark.CLOSED;
  }

  private void settle(boolean succeeded, boolean onHandlerThread) {
    Mark batch = closeBatch();
    if (batch != Mark.CLOSED) {
      runtime.settle(this, outcomes(succeeded, batch), onHandlerThread, false);
    }
  }

  private boolean isSettled() {
    return batchMark() == Mark.CLOSED;
  }

  /**
   * Settles the invocation: closes the batch to marks, atomically with deciding who settles it.
   * Every message is closed afterwards, and a message mark re-checks the batch first, so a mark
   * made by a thread that has seen the invocation settled never counts.
   *
   * @return the batch-level mark it had ({@code null} for none), or {@link Mark#CLOSED} if another
   *     settlement (the handler, the timeout, the executor's refusal) won
   */
  private @Nullable Mark closeBatch() {
    while (true) {
      Mark current = batchMark();
      if (current == Mark.CLOSED) {
        return Mark.CLOSED;
      }
      if (BATCH_MARK.compareAndSet(this, current, Mark.CLOSED)) {
        return current;
      }
    }
  }

  /**
   * Computes each message's outcome: {@link Mark#ACK} or a retry mark with its options.
   * An explicit per-message mark wins, then a batch-level mark, then the handler's outcome; an
   * undecodable message is always retried.
   */
  private Mark[] outcomes(boolean succeeded, @Nullable Mark batch) {
    Mark[] outcomes = new Mark[claimed.size()];
    for (int i = 0; i < outcomes.length; i++) {
      Object slot = delivered.get(i);
      Mark mark;
      if (slot instanceof DeliveredMessage<?> message) {
        mark = message.close();
      } else {
        mark = slot instanceof Undecodable ? Mark.RETRY : null;
      }
      if (mark == null) {
        mark = batch != null ? batch : succeeded ? Mark.ACK : Mark.RETRY;
      }
      outcomes[i] = mark;
    }
    return outcomes;
  }

  private void reportFailure(List<String> messageIds, Throwable cause) {
    if (runtime.listening()) {
      runtime.emit(new QueueEvent.Failed(queue(), runtime.now(), messageIds, cause));
    }
  }

  List<String> ids() {
    List<String> ids = new ArrayList<>(claimed.size());
    for (Claim claim : claimed) {
      ids.add(claim.message().id());
    }
    return ids;
  }
}
