package io.queues4j;

/** The delay limit shared by every option that takes {@code delaySeconds}. */
final class Delays {
  /**
   * The longest delay Cloudflare accepts, 24 hours (developers.cloudflare.com/queues, "JavaScript
   * APIs", checked 2026-11; older docs said 12 hours).
   */
  static final int MAX_DELAY_SECONDS = 86_400;

  private Delays() {}

  static int check(String option, int delaySeconds) {
    if (delaySeconds < 0 || delaySeconds > MAX_DELAY_SECONDS) {
      throw new IllegalArgumentException(
          option + " must be an integer in [0, " + MAX_DELAY_SECONDS + "] but was " + delaySeconds);
    }
    return delaySeconds;
  }
}
