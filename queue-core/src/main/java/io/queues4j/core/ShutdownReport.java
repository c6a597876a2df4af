package io.queues4j.core;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What {@link QueueEngine#shutdown} left undelivered. The in-memory engine persists nothing: every
 * message counted here is gone once the engine is closed. Value-based.
 *
 * @param undeliveredByQueue per queue, the messages still queued, delayed, held as dead letters or
 *     in flight when the grace period ended; queues with none are omitted
 * @param abandonedInvocations handler invocations still running when the grace period ended
 */
public record ShutdownReport(Map<String, Long> undeliveredByQueue, int abandonedInvocations) {

  /**
   * Validates and copies the report.
   *
   * @param undeliveredByQueue see the record description
   * @param abandonedInvocations see the record description
   * @throws NullPointerException if {@code undeliveredByQueue} is {@code null}
   */
  public ShutdownReport {
    undeliveredByQueue = Map.copyOf(requireNonNull(undeliveredByQueue, "undeliveredByQueue"));
  }

  /**
   * Returns the total of messages not delivered.
   *
   * @return the sum over every queue
   */
  public long undelivered() {
    return undeliveredByQueue.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Tells whether everything was delivered and every invocation finished.
   *
   * @return {@code true} if nothing was left behind
   */
  public boolean clean() {
    return undeliveredByQueue.isEmpty() && abandonedInvocations == 0;
  }
}
