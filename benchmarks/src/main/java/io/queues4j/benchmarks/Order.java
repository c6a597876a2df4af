package io.queues4j.benchmarks;

/**
 * The message body of every benchmark: a small order event whose JSON encoding is about 100 bytes,
 * the size the issue asks for.
 *
 * @param id a per-run sequence number; benchmarks use it to pick which messages to retry
 * @param sentNanos {@link System#nanoTime()} at send, for the latency benchmark (else 0)
 * @param customer a short string field
 * @param sku a short string field
 * @param quantity a small number the consumers sum, so that decoding cannot be skipped
 * @param note a short string field
 */
public record Order(
    long id, long sentNanos, String customer, String sku, int quantity, String note) {

  /**
   * Returns the body with the given id, as every benchmark sends it.
   *
   * @param id the sequence number
   * @param sentNanos the send time, or 0
   * @return a body of about 100 bytes of JSON
   */
  public static Order of(long id, long sentNanos) {
    return new Order(
        id, sentNanos, "customer-" + (id % 1000), "SKU-4711-XL", (int) (id & 7) + 1, "expedite");
  }
}
