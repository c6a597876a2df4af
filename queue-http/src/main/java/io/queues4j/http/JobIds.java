package io.queues4j.http;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Job ids made in the HTTP layer: 32 random lowercase hexadecimal characters, the shape of the
 * engine's message ids.
 *
 * <p>TODO(engine): once {@code Queue.send} returns the message ids ({@code
 * QueueSendResult.messageIds()}), answer with the engine's id instead and drop this class.
 */
final class JobIds {
  private JobIds() {}

  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String hi = Long.toHexString(random.nextLong());
    String lo = Long.toHexString(random.nextLong());
    return "0".repeat(16 - hi.length()) + hi + "0".repeat(16 - lo.length()) + lo;
  }
}
