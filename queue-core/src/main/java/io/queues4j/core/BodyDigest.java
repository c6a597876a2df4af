package io.queues4j.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The deduplication key of a FIFO message sent without an explicit id: {@code sha256:} and the
 * SHA-256 of its encoded body in 64 lowercase hex digits. Each thread reuses its own digest, so a
 * send allocates only the key's text, written in one pass. (Not with {@code HexFormat}: on JDK 17
 * it appends to a builder a character at a time, which cost more than the hash itself.)
 */
final class BodyDigest {
  private static final byte[] PREFIX = "sha256:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  });

  private BodyDigest() {}

  static String key(byte[] body) {
    byte[] hash = DIGEST.get().digest(body); // digest() also resets it for the next body
    byte[] text = new byte[PREFIX.length + 2 * hash.length];
    System.arraycopy(PREFIX, 0, text, 0, PREFIX.length);
    for (int i = 0, at = PREFIX.length; i < hash.length; i++, at += 2) {
      text[at] = HEX[(hash[i] >> 4) & 0xF];
      text[at + 1] = HEX[hash[i] & 0xF];
    }
    return new String(text, StandardCharsets.ISO_8859_1);
  }
}
