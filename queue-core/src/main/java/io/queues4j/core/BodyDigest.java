package io.queues4j.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The deduplication key of a FIFO message sent without an explicit id: {@code sha256:} and the
 * SHA-256 of its encoded body in 64 lowercase hex digits. Each thread reuses its own digest, so a
 * send allocates only the key's text, written in one pass.
 */
final class BodyDigest {
  private static final HexFormat HEX = HexFormat.of();
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
    return HEX.formatHex(new StringBuilder(7 + 2 * hash.length).append("sha256:"), hash)
        .toString();
  }
}
