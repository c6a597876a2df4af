package io.queues4j.testkit;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The result of running a handler on one batch with {@link BatchRunner}: how the handler marked
 * the batch and its messages, whether it failed, and what the engine would do next with each
 * message. Value-based, except that the failure is compared by identity.
 *
 * @param queue the queue name of the batch
 * @param messages one result per message, in batch order
 * @param batchMark the handler's effective batch-level call ({@code ackAll()} or {@code
 *     retryAll(options)}), if any
 * @param failure why the invocation failed, if it did: what the handler threw, else the failure of
 *     a {@code waitUntil} stage, else a {@link java.util.concurrent.TimeoutException} for a stage
 *     still pending when the handler timed out
 * @param timedOut whether a {@code waitUntil} stage was still pending once the handler returned
 *     and the runner's executor was drained: the engine would have timed the handler out
 * @param ignoredCalls the calls that had no effect, with the engine's warning text, e.g. {@code
 *     "Calling retry() on message … after calling ack() has no effect."}
 * @param <B> the body type
 */
public record BatchResult<B>(
    String queue,
    List<MessageResult<B>> messages,
    Optional<Mark> batchMark,
    Optional<Throwable> failure,
    boolean timedOut,
    List<String> ignoredCalls) {

  /**
   * Validates and copies the result.
   *
   * @param queue see the record description
   * @param messages see the record description
   * @param batchMark see the record description
   * @param failure see the record description
   * @param timedOut see the record description
   * @param ignoredCalls see the record description
   * @throws NullPointerException if a reference or an element is {@code null}
   */
  public BatchResult {
    requireNonNull(queue, "queue");
    messages = List.copyOf(messages);
    requireNonNull(batchMark, "batchMark");
    requireNonNull(failure, "failure");
    ignoredCalls = List.copyOf(ignoredCalls);
  }

  /**
   * Returns each message's outcome, in batch order.
   *
   * @return the outcomes
   */
  public List<MessageOutcome> outcomes() {
    return messages.stream().map(MessageResult::outcome).toList();
  }

  /**
   * Returns the result of the message with the given id.
   *
   * @param id the message id
   * @return its result
   * @throws NoSuchElementException if the batch has no such message
   */
  public MessageResult<B> message(String id) {
    requireNonNull(id, "id");
    return messages.stream()
        .filter(m -> m.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("no message " + id + " in the batch"));
  }

  /**
   * Returns whether the handler returned normally and every {@code waitUntil} stage completed.
   *
   * @return {@code true} if the invocation succeeded
   */
  public boolean succeeded() {
    return failure.isEmpty();
  }
}
