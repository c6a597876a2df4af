package io.queues4j.testkit;

import static java.util.Objects.requireNonNull;

import io.queues4j.QueueHandler;
import io.queues4j.QueueRetryOptions;
import io.queues4j.core.ConsumerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;

/**
 * Runs a handler on one hand-built batch, on the calling thread, and reports what the engine would
 * do next with each message: the unit test of a consumer.
 *
 * <pre>{@code
 * BatchRunner runner = BatchRunner.create(ConsumerSettings.builder().maxRetries(3).build());
 * BatchResult<Order> result = runner.run(TestBatch.of(new Order(1)).withAttempts(4), handler);
 * assertEquals(List.of(MessageOutcome.dropped()), result.outcomes());
 * }</pre>
 *
 * <p><b>Rules</b> (the engine's, checked against it): when the handler returns normally and every
 * {@code waitUntil} stage completes, each unmarked message is acknowledged; when it throws or a
 * stage fails, each message not explicitly acknowledged is retried; the first per-message call
 * wins; {@code ackAll}/{@code retryAll} apply to messages not already marked and silence later
 * calls. A retried message whose {@code attempts} exceed the settings' {@code maxRetries} is
 * dead-lettered, or dropped if the settings name no dead-letter queue; otherwise it is retried
 * after its explicit delay ({@code 0} included), else after the settings' {@code retryDelay}.
 *
 * <p><b>Differences from a real delivery:</b> bodies reach the handler as given, not encoded and
 * decoded; the batch metadata reports the batch's own messages ({@code backlogBytes} is 0). After
 * the handler returns, tasks queued on {@link #executor()} run; a stage still pending then counts
 * as pending at the handler timeout (the invocation fails with a {@link TimeoutException}), so
 * complete stages through {@link #executor()} or before returning, not on other threads.
 *
 * <p><b>Thread-safety:</b> {@link #run} is for one thread at a time; {@link #executor()} accepts
 * tasks from any thread.
 */
public final class BatchRunner {
  private final ConsumerSettings settings;
  private final DeferredExecutor executor = new DeferredExecutor();

  private BatchRunner(ConsumerSettings settings) {
    this.settings = settings;
  }

  /**
   * Returns a runner with Cloudflare's default consumer settings: 3 retries, no retry delay, no
   * dead-letter queue.
   *
   * @return a new runner
   */
  public static BatchRunner create() {
    return new BatchRunner(ConsumerSettings.defaults());
  }

  /**
   * Returns a runner that applies the given consumer settings: {@code maxRetries}, {@code
   * retryDelay}, {@code deadLetterQueue} and {@code handlerTimeout} matter here.
   *
   * @param settings the consumer settings of the handler under test
   * @return a new runner
   */
  public static BatchRunner create(ConsumerSettings settings) {
    return new BatchRunner(requireNonNull(settings, "settings"));
  }

  /**
   * Returns the settings this runner applies.
   *
   * @return the settings
   */
  public ConsumerSettings settings() {
    return settings;
  }

  /**
   * Returns an executor whose tasks run, in submission order, after the handler returns and before
   * the outcome is decided; give it to the handler's asynchronous work.
   *
   * @return the executor
   */
  public Executor executor() {
    return executor;
  }

  /**
   * Runs {@code handler} on {@code batch} and reports the outcome. A handler that throws does not
   * make this method throw: the exception is the result's {@link BatchResult#failure()}.
   *
   * @param batch the batch
   * @param handler the handler under test
   * @param <B> the body type
   * @return the result
   */
  public <B> BatchResult<B> run(TestBatch<B> batch, QueueHandler<B> handler) {
    requireNonNull(batch, "batch");
    requireNonNull(handler, "handler");
    RunnerBatch<B> invocation = new RunnerBatch<>(batch);
    boolean callerInterrupted = Thread.interrupted(); // the handler does not inherit it
    try {
      handler.queue(invocation, invocation);
    } catch (Throwable t) { // as in the engine, an Error fails the batch too
      invocation.fail(t);
    } finally {
      Thread.interrupted(); // as in the engine: a handler's interrupt does not outlive it
      if (callerInterrupted) {
        Thread.currentThread().interrupt(); // but the caller's own is kept
      }
    }
    invocation.handlerReturned();
    executor.runAll();
    boolean timedOut = invocation.stagesPending();
    if (timedOut) {
      invocation.fail(
          new TimeoutException(
              "handler of queue '" + batch.queue() + "' timed out after "
                  + settings.handlerTimeout() + ": a waitUntil() stage was still pending"));
    }
    Mark batchMark = invocation.close();
    Throwable failure = invocation.failure();
    List<MessageResult<B>> results = new ArrayList<>(batch.messages().size());
    for (RunnerMessage<B> message : invocation.runnerMessages()) {
      Mark explicit = message.close();
      Mark effective =
          explicit != null
              ? explicit
              : batchMark != null ? batchMark : failure == null ? Mark.ack() : Mark.retry();
      results.add(
          new MessageResult<>(
              message.id(),
              message.body(),
              message.attempts(),
              Optional.ofNullable(explicit),
              fate(effective, message.attempts())));
    }
    return new BatchResult<>(
        batch.queue(),
        results,
        Optional.ofNullable(batchMark),
        Optional.ofNullable(failure),
        timedOut,
        invocation.ignoredCalls());
  }

  private MessageOutcome fate(Mark mark, int attempts) {
    if (mark instanceof Mark.Retry retry) {
      if (attempts > settings.maxRetries()) {
        return settings
            .deadLetterQueue()
            .map(MessageOutcome::deadLettered)
            .orElseGet(MessageOutcome::dropped);
      }
      QueueRetryOptions options = retry.options();
      return MessageOutcome.retried(
          options.delaySeconds().isPresent()
              ? Duration.ofSeconds(options.delaySeconds().getAsInt())
              : Duration.ofMillis(settings.retryDelay().toMillis()));
    }
    return MessageOutcome.acked();
  }

  @Override
  public String toString() {
    return "BatchRunner[" + settings + "]";
  }
}
