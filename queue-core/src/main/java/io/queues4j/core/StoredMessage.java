package io.queues4j.core;

import io.queues4j.QueueContentType;

/**
 * A message as the store keeps it: about 48 bytes of header and fields beside the encoded body.
 * The id text is derived from {@link #sequence} on demand (see {@link MessageIds}).
 *
 * <p>Fields other than {@code deliveries} and {@code visibleAt} are final; those two change only
 * under the owning queue's lock, or while the message is claimed by exactly one invocation.
 */
final class StoredMessage {
  final long sequence;
  final long timestamp;
  final byte[] body;
  final QueueContentType contentType;

  /** Deliveries made so far on the current queue; the next delivery's attempt number minus 1. */
  int deliveries;

  /** When the message becomes (or became) ready for delivery, epoch ms. */
  long visibleAt;

  StoredMessage(
      long sequence, long timestamp, byte[] body, QueueContentType contentType, long visibleAt) {
    this.sequence = sequence;
    this.timestamp = timestamp;
    this.body = body;
    this.contentType = contentType;
    this.visibleAt = visibleAt;
  }

  /** A copy for another queue: same id, timestamp and body, no deliveries yet. */
  StoredMessage moveTo(long visibleAt) {
    return new StoredMessage(sequence, timestamp, body, contentType, visibleAt);
  }

  int size() {
    return body.length;
  }

  /** Orders delayed messages by due time, then by send order. */
  static int compareByVisibility(StoredMessage a, StoredMessage b) {
    int c = Long.compare(a.visibleAt, b.visibleAt);
    return c != 0 ? c : Long.compare(a.sequence, b.sequence);
  }
}
