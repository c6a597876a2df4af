package io.queues4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PushSignatureTest {
  private static final byte[] SECRET = "whsec-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BODY = "{\"queue\":\"jobs\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.ofEpochSecond(1_780_000_000L);
  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
  private static final String KNOWN_HMAC =
      "dcbeff9b7216a1927b2fa2c9a935ddf576b970e13971bcb6009295abfee1b474";

  @Test
  void signsTheTimestampDotBodyWithHmacSha256() {
    // Known answer, computed independently: printf '1780000000.{"queue":"jobs","messages":[]}' |
    //   openssl dgst -sha256 -hmac whsec-0123456789abcdef
    assertThat(PushSignature.sign(SECRET, 1_780_000_000L, BODY))
        .isEqualTo("t=1780000000,v1=" + KNOWN_HMAC);
  }

  @Test
  void acceptsItsOwnSignatureWithinTheToleranceEitherWay() {
    String header = PushSignature.sign(SECRET, NOW.getEpochSecond(), BODY);
    assertThat(PushSignature.verify(SECRET, header, BODY, NOW, FIVE_MINUTES)).isTrue();
    assertThat(PushSignature.verify(SECRET, header, BODY, NOW.plusSeconds(300), FIVE_MINUTES)).isTrue();
    assertThat(PushSignature.verify(SECRET, header, BODY, NOW.minusSeconds(300), FIVE_MINUTES)).isTrue();
  }

  @Test
  void rejectsStaleForgedAndMalformedHeaders() {
    long t = NOW.getEpochSecond();
    String header = PushSignature.sign(SECRET, t, BODY);
    String v1 = header.substring(header.indexOf("v1=") + 3);
    assertThat(PushSignature.verify(SECRET, header, BODY, NOW.plusSeconds(301), FIVE_MINUTES)).isFalse();
    assertThat(PushSignature.verify(SECRET, header, BODY, NOW.minusSeconds(301), FIVE_MINUTES)).isFalse();
    // the same signature with a fresher timestamp: the time is signed too
    assertThat(PushSignature.verify(SECRET, "t=" + (t + 400) + ",v1=" + v1, BODY, NOW.plusSeconds(400), FIVE_MINUTES)).isFalse();
    assertThat(PushSignature.verify(SECRET, header, "{}".getBytes(StandardCharsets.UTF_8), NOW, FIVE_MINUTES)).isFalse();
    assertThat(PushSignature.verify(SECRET, null, BODY, NOW, FIVE_MINUTES)).isFalse();
    assertThat(PushSignature.verify(SECRET, "", BODY, NOW, FIVE_MINUTES)).isFalse();
    assertThat(PushSignature.verify(SECRET, "v1=" + v1, BODY, NOW, FIVE_MINUTES)).isFalse();
    assertThat(PushSignature.verify(SECRET, "t=" + t, BODY, NOW, FIVE_MINUTES)).isFalse();
    assertThat(PushSignature.verify(SECRET, "t=abc,v1=" + v1, BODY, NOW, FIVE_MINUTES)).isFalse();
    assertThat(PushSignature.verify(SECRET, "t=" + t + ",v1=zz", BODY, NOW, FIVE_MINUTES)).isFalse();
    assertThat(PushSignature.verify(SECRET, "t=" + t + ",v1=" + v1.substring(2), BODY, NOW, FIVE_MINUTES)).isFalse();
  }

  @Test
  void acceptsAnyOfSeveralSignaturesForKeyRotation() {
    long t = NOW.getEpochSecond();
    String good = PushSignature.sign(SECRET, t, BODY);
    String v1 = good.substring(good.indexOf("v1=") + 3);
    String header = "t=" + t + ",v1=" + "0".repeat(64) + ",v1=" + v1;
    assertThat(PushSignature.verify(SECRET, header, BODY, NOW, FIVE_MINUTES)).isTrue();
  }

  @Test
  void refusesAnEmptySecretAndANegativeTolerance() {
    assertThatThrownBy(() -> PushSignature.sign(new byte[0], 1, BODY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("secret must not be empty");
    assertThatThrownBy(() -> PushSignature.verify(SECRET, "t=1,v1=00", BODY, NOW, Duration.ofSeconds(-1)))
        .hasMessageContaining("tolerance must not be negative but was PT-1S");
  }
}
