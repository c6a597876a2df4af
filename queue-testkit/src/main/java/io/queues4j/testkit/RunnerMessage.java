package io.queues4j.testkit;

import static java.util.Objects.requireNonNull;

import io.queues4j.Message;
import io.queues4j.QueueRetryOptions;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/** One message of a {@link RunnerBatch}; its mark is set by compare-and-set. Thread-safe. */
final class RunnerMessage<B> implements Message<B> {
  private final RunnerBatch<B> batch;
  private final TestMessage<B> spec;
  private final AtomicReference<@Nullable Object> mark = new AtomicReference<>();

  RunnerMessage(RunnerBatch<B> batch, TestMessage<B> spec) {
    this.batch = batch;
    this.spec = spec;
  }

  TestMessage<B> spec() {
    return spec;
  }

  @Override
  public String id() {
    return spec.id();
  }

  @Override
  public Instant timestamp() {
    return spec.timestamp();
  }

  @Override
  public B body() {
    return spec.body();
  }

  @Override
  public int attempts() {
    return spec.attempts();
  }

  @Override
  public void ack() {
    mark(Mark.ack(), "ack()");
  }

  @Override
  public void retry(QueueRetryOptions options) {
    requireNonNull(options, "options");
    mark(new Mark.Retry(options), "retry()");
  }

  private void mark(Mark value, String call) {
    Object batchMark = batch.batchMark();
    if (batchMark instanceof RunnerBatch.Closed) {
      batch.ignore(ended(call));
      return;
    }
    if (batchMark instanceof Mark m) {
      batch.ignore("Calling " + call + " on message " + id() + " of queue '" + batch.queue()
          + "' after calling " + RunnerBatch.describe(m, true) + " has no effect.");
      return;
    }
    if (mark.compareAndSet(null, value)) {
      return;
    }
    Object current = mark.get();
    if (current instanceof RunnerBatch.Closed) {
      batch.ignore(ended(call));
    } else if (current instanceof Mark m && RunnerBatch.kindDiffers(m, value)) {
      batch.ignore("Calling " + call + " on message " + id() + " of queue '" + batch.queue()
          + "' after calling " + RunnerBatch.describe(m, false) + " has no effect.");
    }
  }

  private String ended(String call) {
    return "Calling " + call + " on message " + id() + " of queue '" + batch.queue()
        + "' after its invocation ended has no effect.";
  }

  /** Ends marking; returns the mark set before, if any. */
  @Nullable Mark close() {
    Object previous = mark.getAndSet(RunnerBatch.CLOSED);
    return previous instanceof Mark m ? m : null;
  }
}
