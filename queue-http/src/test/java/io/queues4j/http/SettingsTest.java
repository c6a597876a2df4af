package io.queues4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Builders reject bad values in the setter, naming the setting and the value. */
class SettingsTest {

  @Test
  void httpLimitsDefaultsAndRanges() {
    HttpLimits d = HttpLimits.defaults();
    assertThat(d.maxBodyBytes()).isEqualTo(65_536);
    assertThat(d.maxUrlLength()).isEqualTo(2_048);
    assertThat(d.maxHeaderBytes()).isEqualTo(8_192);
    assertThat(d.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(d.maxConnections()).isEqualTo(1_024);
    assertThat(d.toBuilder().maxBodyBytes(10).build().maxBodyBytes()).isEqualTo(10);
    assertThatThrownBy(() -> HttpLimits.builder().maxBodyBytes(0))
        .hasMessage("maxBodyBytes must be 1 to 16777216 but was 0");
    assertThatThrownBy(() -> HttpLimits.builder().headerTimeout(Duration.ofMillis(99)))
        .hasMessage("headerTimeout must be 100 ms to 1 h but was PT0.099S");
    assertThatThrownBy(() -> HttpLimits.builder().maxUrlLength(8_192).build())
        .hasMessage("maxUrlLength (8192) must be below maxHeaderBytes (8192)");
  }

  @Test
  void callerNamesAreSlugs() {
    Caller c = new Caller("w7s-io", "example-queue-worker", "feature/login");
    assertThat(c.repository()).isEqualTo("w7s-io/example-queue-worker");
    assertThatThrownBy(() -> new Caller("a/b", "r", "production"))
        .hasMessage("owner must be 1 to 100 letters, digits, '.', '_' or '-' but was 'a/b'");
    assertThatThrownBy(() -> new Caller("o", "..", "production")).hasMessageContaining("repo");
    assertThatThrownBy(() -> new Caller("o", "r", "../prod")).hasMessageContaining("environment");
  }

  @Test
  void w7sQueueNamesDefaultsAndValidation() {
    W7sQueue q =
        W7sQueue.builder("w7s-io", "example-queue-worker", "jobs")
            .consumerUrl(URI.create("http://127.0.0.1:9000/"))
            .signingSecret(new byte[32])
            .build();
    assertThat(q.engineQueueName()).isEqualTo("w7s:w7s-io/example-queue-worker/production/jobs");
    assertThat(q.wireQueueName()).isEqualTo("w7s-production-w7s-io-example-queue-worker-queue-jobs");
    assertThat(q.consumerUri()).contains(URI.create("http://127.0.0.1:9000/_w7s/queues/jobs"));
    assertThat(q.consumerSettings().maxBatchSize()).isEqualTo(10);
    assertThat(q.consumerSettings().maxRetries()).isEqualTo(3);
    assertThat(q.consumerSettings().retryDelay()).isEqualTo(Duration.ofSeconds(10));
    assertThat(q.maxEnvelopeBytes()).isEqualTo(65_536);
    assertThat(q.allows(new Caller("W7S-IO", "x", "production"))).isTrue();
    assertThat(q.allows(new Caller("other", "x", "production"))).isFalse();

    assertThatThrownBy(() -> W7sQueue.builder("o", "r", "q").consumerUrl(URI.create("ftp://x")))
        .hasMessageContaining("absolute http(s) URL");
    assertThatThrownBy(() -> W7sQueue.builder("o", "r", "q").consumerUrl(URI.create("http://x")).build())
        .hasMessage("W7S queue 'q' has a consumerUrl but no signingSecret");
    assertThatThrownBy(() -> W7sQueue.builder("o", "r", "q").signingSecret(new byte[15]))
        .hasMessage("signingSecret must be at least 16 bytes but was 15");
    assertThatThrownBy(() -> W7sQueue.builder("o", "r", "q").allow("a/b/c"))
        .hasMessage("allow entry must be an owner or owner/repo but was 'a/b/c'");
    assertThatThrownBy(() -> W7sQueue.builder("o", "r", "q").consumerPath("/a/../b"))
        .hasMessageContaining("dot segment");
    assertThatThrownBy(() -> W7sQueue.builder("o", "r", "q").maxEnvelopeBytes(128_001))
        .hasMessage("maxEnvelopeBytes must be 256 to 128000 but was 128001");
    assertThatThrownBy(
            () ->
                W7sQueue.builder("o", "r", "q")
                    .consumerUrl(URI.create("http://x"))
                    .signingSecret(new byte[16])
                    .consumerSettings(ConsumerSettings.builder().handlerTimeout(Duration.ofSeconds(5)).build())
                    .build())
        .hasMessageContaining("deliveryTimeout (PT30S) must be shorter than the consumer's handlerTimeout (PT5S)");
  }

  @Test
  void queueRunRouteValidation() {
    QueueRunRoute r = QueueRunRoute.of("/tasks/{id}", "tasks").accepting("APPLICATION/JSON");
    assertThat(r.accepts()).containsExactly("application/json");
    assertThat(QueueRunRoute.of("/t", "q").accepts()).hasSize(4);
    assertThatThrownBy(() -> r.accepting("application/xml"))
        .hasMessageContaining("but was 'application/xml'");
    assertThatThrownBy(() -> QueueRunRoute.of("tasks", "q")).hasMessageContaining("must start with '/'");
  }

  @Test
  void serverBuilderValidation() {
    try (QueueEngine engine = QueueEngine.builder().build()) {
      QueueHttpServer.Builder b = QueueHttpServer.builder(engine);
      assertThatThrownBy(() -> b.port(65_536)).hasMessage("port must be 0 to 65535 but was 65536");
      assertThatThrownBy(() -> b.token("short", new Caller("a", "b", "c")))
          .hasMessageContaining("token must be 16 to 1024 characters");
      assertThatThrownBy(() -> b.tokenSha256("abc", new Caller("a", "b", "c")))
          .hasMessage("sha256Hex must be 64 hexadecimal digits but was 3 characters");
      b.token("0123456789abcdef", new Caller("a", "b", "c"));
      assertThatThrownBy(() -> b.tokenSha256(TokenRegistry.sha256Hex("0123456789abcdef"), new Caller("x", "y", "z")))
          .hasMessage("the same token is configured twice");
      assertThatThrownBy(() -> b.tls(Path.of("/nonexistent.p12"), "x")).hasMessageContaining("is not a file");
      assertThatThrownBy(() -> b.queueRunRoute(QueueRunRoute.of("/api/v1/queues/{a}/{b}/{c}", "q")))
          .hasMessageContaining("clashes");
      b.w7sQueue(W7sQueue.builder("o", "r", "q").build());
      assertThatThrownBy(() -> b.w7sQueue(W7sQueue.builder("o", "r", "q").build()))
          .hasMessage("W7S queue declared twice: w7s:o/r/production/q");
    }
  }

  @Test
  void tokensAreKeptAsDigestsAndResolvedOnlyByTheExactToken() {
    Caller c = new Caller("a", "b", "c");
    TokenRegistry registry =
        TokenRegistry.of(java.util.Map.of(TokenRegistry.sha256Hex("0123456789abcdef"), c));
    assertThat(registry.resolve("0123456789abcdef")).isEqualTo(c);
    assertThat(registry.resolve("0123456789abcdeF")).isNull();
    assertThat(registry.resolve("")).isNull();
    // SHA-256("abc"), a published test vector.
    assertThat(TokenRegistry.sha256Hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
