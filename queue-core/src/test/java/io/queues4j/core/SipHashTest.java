package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SipHashTest {
  /** The key of the paper's and the reference implementation's vectors: bytes 0 to 15. */
  private static final long K0 = 0x0706050403020100L;
  private static final long K1 = 0x0f0e0d0c0b0a0908L;

  /** SipHash-c-d of bytes, written from the paper for this test, one byte at a time. */
  private static long reference(long k0, long k1, int c, int d, byte[] input) {
    return reference(k0, k1, c, d, input, false)[0];
  }

  /** The 64-bit output, or the two halves of the 128-bit one. */
  private static long[] reference(long k0, long k1, int c, int d, byte[] input, boolean wide) {
    long[] v = {k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL,
        k0 ^ 0x6c7967656e657261L, k1 ^ 0x7465646279746573L};
    if (wide) {
      v[1] ^= 0xee;
    }
    int blocks = input.length / 8;
    for (int i = 0; i <= blocks; i++) {
      long m = 0;
      for (int j = 0; j < 8; j++) {
        int at = 8 * i + j;
        if (i < blocks || at < input.length) {
          m |= (input[at] & 0xFFL) << (8 * j);
        }
      }
      if (i == blocks) {
        m |= (long) (input.length & 0xFF) << 56;
      }
      v[3] ^= m;
      rounds(v, c);
      v[0] ^= m;
    }
    v[2] ^= wide ? 0xee : 0xff;
    rounds(v, d);
    long first = v[0] ^ v[1] ^ v[2] ^ v[3];
    if (!wide) {
      return new long[] {first};
    }
    v[1] ^= 0xdd;
    rounds(v, d);
    return new long[] {first, v[0] ^ v[1] ^ v[2] ^ v[3]};
  }

  private static void rounds(long[] v, int n) {
    for (int i = 0; i < n; i++) {
      v[0] += v[1];
      v[1] = Long.rotateLeft(v[1], 13) ^ v[0];
      v[0] = Long.rotateLeft(v[0], 32);
      v[2] += v[3];
      v[3] = Long.rotateLeft(v[3], 16) ^ v[2];
      v[0] += v[3];
      v[3] = Long.rotateLeft(v[3], 21) ^ v[0];
      v[2] += v[1];
      v[1] = Long.rotateLeft(v[1], 17) ^ v[2];
      v[2] = Long.rotateLeft(v[2], 32);
    }
  }

  private static byte[] counting(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) i;
    }
    return bytes;
  }

  /** The pair's encoding: per string, its length as a word and its chars padded to words. */
  private static byte[] encoding(String a, String b) {
    ByteBuffer out = ByteBuffer.allocate(16 + 8 * ((a.length() + 3) / 4 + (b.length() + 3) / 4))
        .order(ByteOrder.LITTLE_ENDIAN);
    for (String s : new String[] {a, b}) {
      out.putLong(s.length());
      for (int i = 0; i < s.length(); i++) {
        out.putChar(s.charAt(i));
      }
      while (out.position() % 8 != 0) {
        out.put((byte) 0);
      }
    }
    return out.array();
  }

  @Test
  void theReferenceMatchesThePublishedSipHash24Vectors() {
    assertThat(reference(K0, K1, 2, 4, counting(15))).as("the paper's example")
        .isEqualTo(0xa129ca6149be45e5L);
    assertThat(reference(K0, K1, 2, 4, new byte[0])).isEqualTo(0x726fdb47dd0e0e31L);
    assertThat(reference(K0, K1, 2, 4, counting(8))).isEqualTo(0x93f5f5799a932462L);
    assertThat(reference(K0, K1, 2, 4, new byte[0], true)).as("128-bit output")
        .containsExactly(0xe6a825ba047f81a3L, 0x930255c71472f66dL);
  }

  @Test
  void aPairIsHashedAsThe128BitSipHash13OfItsEncoding() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 500; i++) {
      long k0 = random.nextLong();
      long k1 = random.nextLong();
      String a = randomString(random);
      String b = randomString(random);
      SipHash hash = new SipHash(k0, k1);
      long first = hash.hash(a, b);
      assertThat(new long[] {first, hash.secondHalf()}).as("%s / %s", a, b)
          .containsExactly(reference(k0, k1, 1, 3, encoding(a, b), true));
    }
  }

  private static String randomString(SplittableRandom random) {
    char[] chars = new char[random.nextInt(80)];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = random.nextBoolean() ? (char) ('a' + random.nextInt(26))
          : (char) random.nextInt(Character.MAX_VALUE + 1);
    }
    return new String(chars);
  }

  @Test
  void stringHashCodeCollisionsDoNotCollideAndTheSplitBetweenTheStringsCounts() {
    SipHash hash = SipHash.randomlyKeyed();
    Set<Long> seen = new HashSet<>();
    String[] halves = {"Aa", "BB"}; // "Aa".hashCode() == "BB".hashCode()
    for (int i = 0; i < 256; i++) {
      StringBuilder key = new StringBuilder();
      for (int bit = 0; bit < 8; bit++) {
        key.append(halves[(i >> bit) & 1]);
      }
      assertThat(seen.add(hash.hash("g", key.toString()))).as(key.toString()).isTrue();
    }
    assertThat(hash.hash("ab", "c")).isNotEqualTo(hash.hash("a", "bc"));
    assertThat(hash.hash("a", "b")).isNotEqualTo(hash.hash("a", "b\0"));
  }
}
