package io.queues4j.spi;

import static java.util.Objects.requireNonNull;

/**
 * A message claimed for delivery: the message, with its attempt count including this delivery,
 * plus what the store needs to settle it. {@code key} identifies the message in the store (a row
 * id, say); {@code lease} identifies this claim, so that a store shared by several engines can
 * refuse the settlement of a claim whose lease ended and whose message was claimed again
 * elsewhere (see {@link SettleResult#stale()}).
 *
 * @param message the message; its {@link StoredMessage#attempts()} counts this delivery
 * @param key the store's identity of the message, opaque to the engine
 * @param lease the store's identity of this claim, opaque to the engine
 */
public record Claim(StoredMessage message, long key, long lease) {
  /**
   * Validates the claim.
   *
   * @param message see the record description
   * @param key see the record description
   * @param lease see the record description
   * @throws NullPointerException if {@code message} is {@code null}
   */
  public Claim {
    requireNonNull(message, "message");
  }
}
