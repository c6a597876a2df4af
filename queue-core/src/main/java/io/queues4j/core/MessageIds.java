package io.queues4j.core;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Message ids: 32 lowercase hex characters, as Cloudflare's. An id is a random per-engine prefix
 * and a per-engine sequence number passed through a bijective mixer, so ids are unique within an
 * engine, look random, cost one atomic add per send call, and need no {@code SecureRandom}. A
 * message stores only its sequence number; the text is built when a consumer asks for it.
 */
final class MessageIds {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final long prefix;
  private final AtomicLong next = new AtomicLong();

  MessageIds() {
    this(new SplittableRandom().nextLong());
  }

  /** Ids derived from {@code seed}: the same seed gives the same ids in the same order. */
  MessageIds(long seed) {
    this.prefix = mix(seed);
  }

  /** Reserves {@code count} consecutive sequence numbers and returns the first. */
  long reserve(int count) {
    return next.getAndAdd(count);
  }

  String format(long sequence) {
    byte[] text = new byte[32];
    writeHex(text, 0, prefix);
    writeHex(text, 16, low(sequence));
    return new String(text, StandardCharsets.ISO_8859_1);
  }

  /** The first 64 bits of every id of this engine. */
  long high() {
    return prefix;
  }

  /** The last 64 bits of the id of the message with {@code sequence}. */
  long low(long sequence) {
    return mix(sequence ^ prefix);
  }

  private static void writeHex(byte[] into, int offset, long value) {
    for (int i = 15; i >= 0; i--) {
      into[offset + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  /** The SplitMix64 finalizer: a bijection on 64-bit values, so distinct inputs never collide. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
