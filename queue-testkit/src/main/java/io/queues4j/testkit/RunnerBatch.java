package io.queues4j.testkit;

import static java.util.Objects.requireNonNull;

import io.queues4j.Message;
import io.queues4j.MessageBatch;
import io.queues4j.QueueContext;
import io.queues4j.QueueMetadata;
import io.queues4j.QueueMetrics;
import io.queues4j.QueueRetryOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The batch and context a {@link BatchRunner} hands to a handler. It mirrors the engine's own
 * invocation (queue-core's {@code Invocation} and {@code DeliveredMessage}) rule for rule, which
 * {@code BatchRunnerEquivalenceTest} checks against the engine: the first per-message call wins, a
 * batch-level call applies to unmarked messages and silences later calls, calls after the end are
 * ignored; ignored calls are reported with the engine's warning texts. Thread-safe.
 */
final class RunnerBatch<B> implements MessageBatch<B>, QueueContext {
  /** The mark of a settled batch or message: later calls have no effect. */
  static final Closed CLOSED = new Closed();

  /** The mark of a settled batch or message: later calls have no effect. */
  static final class Closed {}

  private final String queue;
  private final List<RunnerMessage<B>> messages;
  private final List<Message<B>> view;
  private final QueueMetadata metadata;
  private final AtomicReference<@Nullable Object> batchMark = new AtomicReference<>();
  private final AtomicInteger pending = new AtomicInteger(1); // the handler itself, then stages
  private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
  private final List<String> ignoredCalls = new CopyOnWriteArrayList<>();

  RunnerBatch(TestBatch<B> batch) {
    this.queue = batch.queue();
    List<RunnerMessage<B>> list = new ArrayList<>(batch.messages().size());
    long oldest = Long.MAX_VALUE;
    for (TestMessage<B> m : batch.messages()) {
      list.add(new RunnerMessage<>(this, m));
      oldest = Math.min(oldest, Math.max(0, m.timestamp().toEpochMilli()));
    }
    this.messages = list;
    this.view = Collections.unmodifiableList(new ArrayList<Message<B>>(list));
    this.metadata = new QueueMetadata(new QueueMetrics(list.size(), 0, oldest));
  }

  @Override
  public String queue() {
    return queue;
  }

  @Override
  public List<Message<B>> messages() {
    return view;
  }

  List<RunnerMessage<B>> runnerMessages() {
    return messages;
  }

  @Override
  public QueueMetadata metadata() {
    return metadata;
  }

  @Override
  public void ackAll() {
    markBatch(Mark.ack(), "ackAll()");
  }

  @Override
  public void retryAll(QueueRetryOptions options) {
    requireNonNull(options, "options");
    markBatch(new Mark.Retry(options), "retryAll()");
  }

  private void markBatch(Mark value, String call) {
    if (batchMark.compareAndSet(null, value)) {
      return;
    }
    Object current = batchMark.get();
    if (current instanceof Closed) {
      ignore("Calling " + call + " on a batch of queue '" + queue
          + "' after its invocation ended has no effect.");
    } else if (current instanceof Mark mark && kindDiffers(mark, value)) {
      ignore("Calling " + call + " on a batch of queue '" + queue + "' after calling "
          + describe(mark, true) + " has no effect.");
    }
  }

  @Nullable Object batchMark() {
    return batchMark.get();
  }

  static boolean kindDiffers(Mark a, Mark b) {
    return (a instanceof Mark.Ack) != (b instanceof Mark.Ack);
  }

  static String describe(Mark mark, boolean batch) {
    if (mark instanceof Mark.Ack) {
      return batch ? "ackAll()" : "ack()";
    }
    return batch ? "retryAll()" : "retry()";
  }

  void ignore(String warning) {
    ignoredCalls.add(warning);
  }

  List<String> ignoredCalls() {
    return List.copyOf(ignoredCalls);
  }

  @Override
  public void waitUntil(CompletionStage<?> stage) {
    requireNonNull(stage, "stage");
    int count;
    do {
      count = pending.get();
      if (count == 0 || batchMark.get() instanceof Closed) {
        ignore("waitUntil() on a batch of queue '" + queue
            + "' after its invocation ended has no effect.");
        return;
      }
    } while (!pending.compareAndSet(count, count + 1));
    stage.whenComplete(
        (value, error) -> {
          if (error != null) {
            fail(error);
          }
          pending.decrementAndGet();
        });
  }

  void fail(Throwable t) {
    if (!(batchMark.get() instanceof Closed)) {
      failure.compareAndSet(null, t);
    }
  }

  void handlerReturned() {
    pending.decrementAndGet();
  }

  boolean stagesPending() {
    return pending.get() > 0;
  }

  @Nullable Throwable failure() {
    return failure.get();
  }

  /** Ends the invocation: later calls are ignored. Returns the batch-level mark, if any. */
  @Nullable Mark close() {
    Object mark = batchMark.getAndSet(CLOSED);
    return mark instanceof Mark m ? m : null;
  }
}
