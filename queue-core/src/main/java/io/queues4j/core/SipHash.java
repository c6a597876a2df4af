package io.queues4j.core;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * SipHash-1-3 with its 128-bit output (Aumasson and Bernstein; 1 compression and 3 finalization
 * rounds per half, as Rust's and Python's hash tables use it) of a pair of strings under a random
 * key: without the key, nobody can choose strings whose hashes collide, so neither a table keyed
 * by it nor a comparison of the full 128 bits can be aimed at by whoever picks the strings.
 *
 * <p>The pair is hashed as the byte string made of, for each string, its length as a
 * little-endian 64-bit word and then its UTF-16 code units in little-endian order, zero-padded to
 * a multiple of 8 bytes. Each string's length is part of it, so distinct pairs are distinct
 * inputs.
 *
 * <p>Not thread-safe: it copies the strings' chars into an array it reuses, and keeps the second
 * half of the last hash.
 */
final class SipHash {
  private final long k0;
  private final long k1;
  private char[] chars = new char[128];
  private long secondHalf;

  SipHash(long k0, long k1) {
    this.k0 = k0;
    this.k1 = k1;
  }

  static SipHash randomlyKeyed() {
    SecureRandom random = new SecureRandom();
    return new SipHash(random.nextLong(), random.nextLong());
  }

  /**
   * Hashes the pair: returns the first 64 bits of its 128-bit SipHash; {@link #secondHalf} returns
   * the others until the next call.
   */
  long hash(String a, String b) {
    int wordsOfA = (a.length() + 3) >>> 2;
    int words = 2 + wordsOfA + ((b.length() + 3) >>> 2);
    // Both strings' chars, each zero-padded to a multiple of 4; one bulk copy each.
    int startOfB = wordsOfA << 2;
    int end = startOfB + (((b.length() + 3) >>> 2) << 2);
    if (chars.length < end) {
      chars = new char[Math.max(end, 2 * chars.length)];
    }
    char[] c = chars;
    a.getChars(0, a.length(), c, 0);
    Arrays.fill(c, a.length(), startOfB, '\0');
    b.getChars(0, b.length(), c, startOfB);
    Arrays.fill(c, startOfB + b.length(), end, '\0');
    long v0 = k0 ^ 0x736f6d6570736575L;
    long v1 = k1 ^ 0x646f72616e646f6dL ^ 0xee; // 0xee: the 128-bit variant
    long v2 = k0 ^ 0x6c7967656e657261L;
    long v3 = k1 ^ 0x7465646279746573L;
    for (int w = 0; w <= words; w++) {
      long m;
      if (w == 0) {
        m = a.length();
      } else if (w <= wordsOfA) {
        m = word(c, (w - 1) << 2);
      } else if (w == wordsOfA + 1) {
        m = b.length();
      } else if (w < words) {
        m = word(c, (w - 2) << 2);
      } else {
        m = (long) (words << 3) << 56; // the last block: the input's length modulo 256
      }
      v3 ^= m;
      v0 += v1; // one SipRound
      v1 = Long.rotateLeft(v1, 13);
      v1 ^= v0;
      v0 = Long.rotateLeft(v0, 32);
      v2 += v3;
      v3 = Long.rotateLeft(v3, 16);
      v3 ^= v2;
      v0 += v3;
      v3 = Long.rotateLeft(v3, 21);
      v3 ^= v0;
      v2 += v1;
      v1 = Long.rotateLeft(v1, 17);
      v1 ^= v2;
      v2 = Long.rotateLeft(v2, 32);
      v0 ^= m;
    }
    // The SipRound is written out again below: Java cannot share it over four locals without an
    // object or array, and one loop for both phases (m = 0 when finalizing) cost 2-9% of a FIFO
    // send in alternating SendLoop runs.
    v2 ^= 0xee;
    long first = 0;
    for (int i = 0; i < 6; i++) { // 3 rounds for each half
      if (i == 3) {
        first = v0 ^ v1 ^ v2 ^ v3;
        v1 ^= 0xdd;
      }
      v0 += v1;
      v1 = Long.rotateLeft(v1, 13);
      v1 ^= v0;
      v0 = Long.rotateLeft(v0, 32);
      v2 += v3;
      v3 = Long.rotateLeft(v3, 16);
      v3 ^= v2;
      v0 += v3;
      v3 = Long.rotateLeft(v3, 21);
      v3 ^= v0;
      v2 += v1;
      v1 = Long.rotateLeft(v1, 17);
      v1 ^= v2;
      v2 = Long.rotateLeft(v2, 32);
    }
    secondHalf = v0 ^ v1 ^ v2 ^ v3;
    return first;
  }

  /** The second 64 bits of the last {@link #hash}. */
  long secondHalf() {
    return secondHalf;
  }

  /** The 4 chars of {@code c} from {@code from}, the first in the lowest bits. */
  private static long word(char[] c, int from) {
    return c[from] | (long) c[from + 1] << 16 | (long) c[from + 2] << 32 | (long) c[from + 3] << 48;
  }
}
