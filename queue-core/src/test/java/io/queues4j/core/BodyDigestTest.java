package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BodyDigestTest {
  @Test
  void theKeyIsTheHexSha256OfTheBody() throws Exception {
    assertThat(BodyDigest.key("abc".getBytes(StandardCharsets.UTF_8))).isEqualTo(
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    Random random = new Random(42);
    for (int i = 0; i < 100; i++) { // the reused digest starts afresh for every body
      byte[] body = new byte[random.nextInt(300)];
      random.nextBytes(body);
      assertThat(BodyDigest.key(body)).isEqualTo("sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
    }
  }
}
