package io.queues4j.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Bearer tokens, kept only as SHA-256 digests, each mapped to the caller it proves.
 *
 * <p>A presented token is hashed and its digest looked up by its first 8 bytes, then compared in
 * full with {@link MessageDigest#isEqual} (constant time). The lookup's timing can only reveal
 * something about a digest prefix, which does not help to forge a token without a SHA-256
 * preimage. Immutable after construction, so safe for concurrent use.
 */
final class TokenRegistry {
  private static final class Entry {
    final byte[] digest;
    final Caller caller;

    Entry(byte[] digest, Caller caller) {
      this.digest = digest;
      this.caller = caller;
    }
  }

  private final Map<Long, List<Entry>> byPrefix;

  private TokenRegistry(Map<Long, List<Entry>> byPrefix) {
    this.byPrefix = byPrefix;
  }

  static TokenRegistry of(Map<String, Caller> callersByHexDigest) {
    Map<Long, List<Entry>> map = new HashMap<>();
    HexFormat hex = HexFormat.of();
    callersByHexDigest.forEach(
        (digestHex, caller) -> {
          byte[] digest = hex.parseHex(digestHex);
          map.merge(
              prefix(digest),
              List.of(new Entry(digest, caller)),
              (a, b) -> {
                var all = new java.util.ArrayList<>(a);
                all.addAll(b);
                return List.copyOf(all);
              });
        });
    return new TokenRegistry(Map.copyOf(map));
  }

  /** Returns the caller a token proves, or null. */
  @Nullable Caller resolve(String token) {
    byte[] digest = sha256(token);
    List<Entry> candidates = byPrefix.get(prefix(digest));
    if (candidates == null) {
      return null;
    }
    Caller found = null;
    for (Entry e : candidates) {
      if (MessageDigest.isEqual(e.digest, digest)) {
        found = e.caller;
      }
    }
    return found;
  }

  boolean isEmpty() {
    return byPrefix.isEmpty();
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  static String sha256Hex(String token) {
    return HexFormat.of().formatHex(sha256(token));
  }

  private static long prefix(byte[] digest) {
    long p = 0;
    for (int i = 0; i < 8; i++) {
      p = (p << 8) | (digest[i] & 0xFF);
    }
    return p;
  }
}
