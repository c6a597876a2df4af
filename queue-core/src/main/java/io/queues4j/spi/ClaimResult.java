package io.queues4j.spi;

import java.util.List;

/**
 * What a {@link QueueStore#claim} returned: the claimed messages, oldest-visible first, and when
 * the next message the store still holds for the queue becomes visible, so the engine knows when
 * to claim again without polling.
 *
 * @param claims the claimed messages, at most as many as asked for, in delivery order
 * @param nextVisibleAt the earliest {@code visibleAt} among the queue's messages that are neither
 *     claimed nor held after this claim; {@link Long#MAX_VALUE} if there are none
 */
public record ClaimResult(List<Claim> claims, long nextVisibleAt) {
  /** A claim that found nothing, and nothing later either. */
  public static final ClaimResult EMPTY = new ClaimResult(List.of(), Long.MAX_VALUE);

  /**
   * Validates and copies the result.
   *
   * @param claims see the record description
   * @param nextVisibleAt see the record description
   */
  public ClaimResult {
    claims = List.copyOf(claims);
  }
}
