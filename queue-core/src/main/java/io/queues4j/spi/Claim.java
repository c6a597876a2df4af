package io.queues4j.spi;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A message claimed for delivery: the message, with its attempt count including this delivery,
 * plus what the store needs to settle it. {@code key} identifies the message in the store (a row
 * id, say); {@code lease} identifies this claim, so that a store shared by several engines can
 * refuse the settlement of a claim whose lease ended and whose message was claimed again
 * elsewhere (see {@link SettleResult#stale()}).
 *
 * <p>The engine hands back the very {@code Claim} it was given, inside a {@link Settlement}, so a
 * store may put its own reference to the claimed message in {@code handle} (the in-memory store's
 * node) and settle without looking the message up. The engine never reads it. A store must still
 * check {@code key} and {@code lease} against what the handle points to: a late settlement carries
 * a handle to a message that was settled or claimed again since.
 *
 * @param message the message; its {@link StoredMessage#attempts()} counts this delivery
 * @param key the store's identity of the message, opaque to the engine
 * @param lease the store's identity of this claim, opaque to the engine
 * @param handle the store's own reference to the claimed message, or {@code null}; opaque to the
 *     engine
 */
public record Claim(StoredMessage message, long key, long lease, @Nullable Object handle) {
  /**
   * Validates the claim.
   *
   * @param message see the record description
   * @param key see the record description
   * @param lease see the record description
   * @param handle see the record description
   * @throws NullPointerException if {@code message} is {@code null}
   */
  public Claim {
    requireNonNull(message, "message");
  }

  /**
   * A claim without a handle: what a store that settles by key and lease alone makes.
   *
   * @param message see the record description
   * @param key see the record description
   * @param lease see the record description
   * @throws NullPointerException if {@code message} is {@code null}
   */
  public Claim(StoredMessage message, long key, long lease) {
    this(message, key, lease, null);
  }
}
