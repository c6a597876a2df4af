package io.queues4j.spi;

import java.util.List;

/**
 * What a {@link QueueStore#settle} call did beyond applying its settlements.
 *
 * @param stale the claims that were not applied because their lease had ended and the message was
 *     claimed again (only a store shared by several engines has any)
 * @param evicted held dead letters removed to keep a dead-letter queue within its capacity, each
 *     with the queue it left
 */
public record SettleResult(List<Claim> stale, List<Eviction> evicted) {
  /** Every settlement applied, nothing evicted. */
  public static final SettleResult APPLIED = new SettleResult(List.of(), List.of());

  /**
   * Validates and copies the result.
   *
   * @param stale see the record description
   * @param evicted see the record description
   */
  public SettleResult {
    stale = List.copyOf(stale);
    evicted = List.copyOf(evicted);
  }

  /**
   * A held dead letter evicted from its queue.
   *
   * @param queue the dead-letter queue
   * @param message the evicted message
   */
  public record Eviction(QueueStore queue, StoredMessage message) {
    /**
     * Validates the eviction.
     *
     * @param queue see the record description
     * @param message see the record description
     */
    public Eviction {
      java.util.Objects.requireNonNull(queue, "queue");
      java.util.Objects.requireNonNull(message, "message");
    }
  }
}
