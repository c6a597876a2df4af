package io.queues4j.testkit;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What became of one message of a {@link BatchRunner} run. Value-based.
 *
 * @param id the message id
 * @param body the body the handler saw
 * @param attempts the attempt number the handler saw
 * @param mark the handler's effective per-message call ({@code ack()} or {@code retry(options)}),
 *     if any
 * @param outcome what the engine would do next with the message
 * @param <B> the body type
 */
public record MessageResult<B>(
    String id, B body, int attempts, Optional<Mark> mark, MessageOutcome outcome) {

  /**
   * Validates the result.
   *
   * @param id see the record description
   * @param body see the record description
   * @param attempts see the record description
   * @param mark see the record description
   * @param outcome see the record description
   * @throws NullPointerException if a reference is {@code null}
   */
  public MessageResult {
    requireNonNull(id, "id");
    requireNonNull(body, "body");
    requireNonNull(mark, "mark");
    requireNonNull(outcome, "outcome");
  }
}
