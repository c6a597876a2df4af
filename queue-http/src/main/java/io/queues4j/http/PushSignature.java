package io.queues4j.http;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The signature on every push delivery, and its check for consumers written in Java.
 *
 * <p>Each delivery carries the header {@value #HEADER}{@code : t=<unix seconds>,v1=<hex>}, where
 * {@code <hex>} is the lowercase hexadecimal HMAC-SHA256, keyed with the consumer's secret, of the
 * ASCII timestamp, a {@code .}, and the exact request body bytes. A consumer recomputes it, compares
 * in constant time, and rejects deliveries whose timestamp is more than a tolerance (5 minutes is
 * usual) away from its own clock, so that a captured delivery cannot be replayed later.
 *
 * <pre>{@code
 * byte[] body = request.bodyBytes();                 // the raw bytes, before any JSON parsing
 * String header = request.header(PushSignature.HEADER);
 * if (!PushSignature.verify(secret, header, body, Instant.now(), Duration.ofMinutes(5))) {
 *   return 401;                                      // forged, altered or stale
 * }
 * }</pre>
 *
 * <p>Thread-safe: stateless.
 */
public final class PushSignature {
  /** The name of the signature header. */
  public static final String HEADER = "X-Queues4j-Signature";

  private static final HexFormat HEX = HexFormat.of();

  private PushSignature() {}

  /**
   * Computes the header value for a delivery.
   *
   * @param secret the consumer's secret
   * @param unixSeconds the signing time, in seconds since the epoch
   * @param body the exact request body
   * @return {@code t=<unixSeconds>,v1=<hex HMAC-SHA256>}
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code secret} is empty
   */
  public static String sign(byte[] secret, long unixSeconds, byte[] body) {
    return "t=" + unixSeconds + ",v1=" + HEX.formatHex(hmac(secret, unixSeconds, body));
  }

  /**
   * Checks a delivery's signature header against its body.
   *
   * @param secret the consumer's secret
   * @param header the header value as received; {@code null} (header missing) fails
   * @param body the exact request body as received
   * @param now the consumer's current time
   * @param tolerance how far the signing time may be from {@code now}, either way
   * @return whether the header is well formed, its time within the tolerance, and one of its
   *     {@code v1} signatures correct
   * @throws NullPointerException if an argument other than {@code header} is {@code null}
   * @throws IllegalArgumentException if {@code secret} is empty or {@code tolerance} is negative
   */
  public static boolean verify(
      byte[] secret, @Nullable String header, byte[] body, Instant now, Duration tolerance) {
    requireNonNull(body, "body");
    requireNonNull(now, "now");
    requireNonNull(tolerance, "tolerance");
    if (tolerance.isNegative()) {
      throw new IllegalArgumentException("tolerance must not be negative but was " + tolerance);
    }
    if (header == null || header.length() > 1024) {
      return false;
    }
    Long time = null;
    var signatures = new java.util.ArrayList<byte[]>(1);
    for (String part : header.split(",", -1)) {
      String p = part.trim();
      try {
        if (p.startsWith("t=") && time == null) {
          time = Long.parseLong(p.substring(2));
        } else if (p.startsWith("v1=")) {
          signatures.add(HEX.parseHex(p.substring(3)));
        }
      } catch (IllegalArgumentException malformed) {
        return false;
      }
    }
    if (time == null || signatures.isEmpty()) {
      return false;
    }
    long skew = Math.abs(now.getEpochSecond() - time);
    if (skew > tolerance.toSeconds()) {
      return false;
    }
    byte[] expected = hmac(secret, time, body);
    boolean ok = false;
    for (byte[] s : signatures) {
      ok |= MessageDigest.isEqual(expected, s);
    }
    return ok;
  }

  private static byte[] hmac(byte[] secret, long unixSeconds, byte[] body) {
    requireNonNull(secret, "secret");
    requireNonNull(body, "body");
    if (secret.length == 0) {
      throw new IllegalArgumentException("secret must not be empty");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
    }
  }
}
