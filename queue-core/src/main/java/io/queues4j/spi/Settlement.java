package io.queues4j.spi;

import static java.util.Objects.requireNonNull;

/**
 * What becomes of one claimed message. A {@link QueueStore#settle} call applies a list of them in
 * one atomic step.
 */
public sealed interface Settlement {

  /**
   * Returns the claim this settles.
   *
   * @return the claim
   */
  Claim claim();

  /**
   * Removes the message for good: acknowledged, dropped after its last delivery, or expired.
   *
   * @param claim the claim
   */
  record Delete(Claim claim) implements Settlement {
    /**
     * Validates the settlement.
     *
     * @param claim see the record description
     */
    public Delete {
      requireNonNull(claim, "claim");
    }
  }

  /**
   * Returns the message to its queue, visible at {@code visibleAt}. With {@code countAttempt}
   * false the claim did not count as a delivery (the engine could not start it, or gave it back
   * unstarted at shutdown), so its attempt count goes back to what it was before the claim.
   *
   * @param claim the claim
   * @param visibleAt when it becomes deliverable again, epoch milliseconds
   * @param countAttempt whether the claim counts as a delivery attempt
   */
  record Retry(Claim claim, long visibleAt, boolean countAttempt) implements Settlement {
    /**
     * Validates the settlement.
     *
     * @param claim see the record description
     * @param visibleAt see the record description
     * @param countAttempt see the record description
     */
    public Retry {
      requireNonNull(claim, "claim");
    }
  }

  /**
   * Moves the message to a dead-letter queue: removed from this queue and added to {@code target}
   * in the same atomic step, with the same id, timestamp and body, visible at {@code visibleAt},
   * with no attempts yet. With {@code holdCapacity > 0} (the target has no consumer) it is held as
   * a dead letter, and the oldest held dead letters of the target beyond {@code holdCapacity} are
   * removed and reported in {@link SettleResult#evicted()}.
   *
   * @param claim the claim
   * @param target the dead-letter queue, of the same store
   * @param visibleAt when it becomes deliverable on the target
   * @param holdCapacity 0 to make it deliverable, else the target's dead-letter capacity
   */
  record MoveTo(Claim claim, QueueStore target, long visibleAt, int holdCapacity)
      implements Settlement {
    /**
     * Validates the settlement.
     *
     * @param claim see the record description
     * @param target see the record description
     * @param visibleAt see the record description
     * @param holdCapacity see the record description
     * @throws IllegalArgumentException if {@code holdCapacity} is negative
     */
    public MoveTo {
      requireNonNull(claim, "claim");
      requireNonNull(target, "target");
      if (holdCapacity < 0) {
        throw new IllegalArgumentException(
            "holdCapacity must not be negative but was " + holdCapacity);
      }
    }
  }
}
