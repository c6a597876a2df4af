package io.queues4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jspecify.annotations.Nullable;

/** W7S sends end to end: HTTP send, engine, signed push to a real local consumer, retries. */
class W7sPushTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final String PRODUCER = "producer-token-000000001";
  private static final String PARTNER = "partner-token-0000000001";
  private static final ConsumerSettings FAST =
      ConsumerSettings.builder()
          .maxBatchSize(10)
          .maxBatchTimeout(Duration.ofMillis(20))
          .maxRetries(3)
          .retryDelay(Duration.ZERO)
          .build();

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-05-24T21:59:00Z"));
  private @Nullable QueueEngine engine;
  private @Nullable QueueHttpServer server;
  private @Nullable RecordingConsumer consumer;

  private QueueEngine engine() {
    return Objects.requireNonNull(engine);
  }

  private QueueHttpServer server() {
    return Objects.requireNonNull(server);
  }

  private RecordingConsumer consumer() {
    return Objects.requireNonNull(consumer);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (engine != null) {
      engine.close();
    }
    if (consumer != null) {
      consumer.close();
    }
  }

  private void start(RecordingConsumer c, UnaryOperator<W7sQueue.Builder> queue) {
    consumer = c;
    QueueEngine e = QueueEngine.builder().build();
    engine = e;
    QueueHttpServer srv =
        QueueHttpServer.builder(e)
            .clock(clock)
            .token(PRODUCER, new Caller("w7s-io", "example-queue-producer", "production"))
            .token(PARTNER, new Caller("guerrerocarlos", "nodepad", "production"))
            .w7sQueue(
                queue.apply(
                        W7sQueue.builder("w7s-io", "example-queue-worker", "jobs")
                            .allow("guerrerocarlos/nodepad")
                            .consumerUrl(c.baseUrl())
                            .signingSecret(SECRET)
                            .consumerSettings(FAST))
                    .build())
            .build();
    server = srv;
    srv.start();
  }

  private HttpResponse<String> send(String token, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + server().port()
                        + "/api/v1/queues/w7s-io/example-queue-worker/jobs"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private long acked() {
    return engine().stats("w7s:w7s-io/example-queue-worker/production/jobs").acked();
  }

  @Test
  void aSendIsPushedAsW7sBatchSignedToTheDefaultConsumerPath() throws Exception {
    start(new RecordingConsumer(n -> 200), q -> q);

    HttpResponse<String> response = send(PRODUCER, "{\"type\":\"ping\",\"n\":1}");

    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode accepted = MAPPER.readTree(response.body());
    String id = accepted.path("id").asText();
    assertThat(id).matches("[0-9a-f]{32}");
    assertThat(accepted.path("queue").asText()).isEqualTo("jobs");
    assertThat(accepted.path("enqueuedAt").asText()).isEqualTo("2026-05-24T21:59:00.000Z");

    RecordingConsumer.Push push = consumer().next();
    assertThat(push.method()).isEqualTo("POST");
    assertThat(push.path()).isEqualTo("/_w7s/queues/jobs");
    assertThat(push.contentType()).isEqualTo("application/json");
    JsonNode batch = MAPPER.readTree(push.body());
    assertThat(batch.path("queue").asText()).isEqualTo("jobs");
    assertThat(batch.path("queueName").asText())
        .isEqualTo("w7s-production-w7s-io-example-queue-worker-queue-jobs");
    assertThat(batch.path("messages")).hasSize(1);
    JsonNode m = batch.path("messages").get(0);
    assertThat(m.path("id").asText()).isEqualTo(id);
    assertThat(m.path("attempts").asInt()).isEqualTo(1);
    assertThat(m.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(m.path("enqueuedAt").asText()).isEqualTo("2026-05-24T21:59:00.000Z");
    assertThat(m.path("caller"))
        .isEqualTo(
            MAPPER.readTree(
                "{\"orgSlug\":\"w7s-io\",\"repoSlug\":\"example-queue-producer\","
                    + "\"repository\":\"w7s-io/example-queue-producer\",\"environment\":\"production\"}"));
    assertThat(m.path("body")).isEqualTo(MAPPER.readTree("{\"type\":\"ping\",\"n\":1}"));

    // The signature proves the body and its time; a forged body, another key or a stale time fail.
    Instant now = clock.instant();
    assertThat(push.signature()).matches("t=\\d+,v1=[0-9a-f]{64}");
    assertThat(PushSignature.verify(SECRET, push.signature(), push.body(), now, Duration.ofMinutes(5))).isTrue();
    byte[] forged = Arrays.copyOf(push.body(), push.body().length);
    forged[forged.length - 2] ^= 1;
    assertThat(PushSignature.verify(SECRET, push.signature(), forged, now, Duration.ofMinutes(5))).isFalse();
    byte[] otherKey = "another-secret-another-secret!!!".getBytes(StandardCharsets.US_ASCII);
    assertThat(PushSignature.verify(otherKey, push.signature(), push.body(), now, Duration.ofMinutes(5))).isFalse();
    assertThat(PushSignature.verify(SECRET, push.signature(), push.body(), now.plusSeconds(301), Duration.ofMinutes(5))).isFalse();
    await().atMost(Duration.ofSeconds(10)).until(() -> acked() == 1);
  }

  @Test
  void aDelayHeaderIsAcceptedAndEchoed() throws Exception {
    start(new RecordingConsumer(n -> 200), q -> q);
    HttpResponse<String> response = send(PRODUCER, "[1,2]", "x-w7s-queue-delay-seconds", "3600");
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(MAPPER.readTree(response.body()).path("delaySeconds").asInt()).isEqualTo(3600);
    var stats = engine().stats("w7s:w7s-io/example-queue-worker/production/jobs");
    assertThat(stats.sent()).isEqualTo(1);
    assertThat(stats.metrics().backlogCount()).isEqualTo(1);
    assertThat(stats.deliveries()).isZero(); // an hour away
  }

  @Test
  void anAllowlistedRepositoryOfAnotherOwnerMaySendAndIsNamedAsCaller() throws Exception {
    start(new RecordingConsumer(n -> 200), q -> q);
    assertThat(send(PARTNER, "\"hello\"").statusCode()).isEqualTo(202);
    JsonNode m = MAPPER.readTree(consumer().next().body()).path("messages").get(0);
    assertThat(m.path("caller").path("repository").asText()).isEqualTo("guerrerocarlos/nodepad");
    assertThat(m.path("body").asText()).isEqualTo("hello");
  }

  @Test
  void aFailingConsumerGetsTheBatchAgainUntilItAnswers2xx() throws Exception {
    start(new RecordingConsumer(n -> n <= 2 ? 500 : 204), q -> q.consumerPath("/internal/queues/emails"));
    String id = MAPPER.readTree(send(PRODUCER, "{\"to\":\"a@b.c\"}").body()).path("id").asText();

    for (int attempt = 1; attempt <= 3; attempt++) {
      RecordingConsumer.Push push = consumer().next();
      assertThat(push.path()).isEqualTo("/internal/queues/emails");
      JsonNode m = MAPPER.readTree(push.body()).path("messages").get(0);
      assertThat(m.path("id").asText()).isEqualTo(id);
      assertThat(m.path("attempts").asInt()).isEqualTo(attempt);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> acked() == 1);
    var stats = engine().stats("w7s:w7s-io/example-queue-worker/production/jobs");
    assertThat(stats.retried()).isEqualTo(2);
    assertThat(consumer().pushes()).hasSize(3);
  }

  @Test
  void aConsumerThatDoesNotAnswerInTimeIsRetried() throws Exception {
    start(
        new RecordingConsumer(n -> n == 1 ? RecordingConsumer.HANG : 200),
        q -> q.deliveryTimeout(Duration.ofMillis(300)));
    assertThat(send(PRODUCER, "{}").statusCode()).isEqualTo(202);

    assertThat(MAPPER.readTree(consumer().next().body()).path("messages").get(0).path("attempts").asInt()).isEqualTo(1);
    assertThat(MAPPER.readTree(consumer().next().body()).path("messages").get(0).path("attempts").asInt()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> acked() == 1);
    assertThat(engine().stats("w7s:w7s-io/example-queue-worker/production/jobs").retried()).isEqualTo(1);
  }

  @Test
  void anUnreachableConsumerExhaustsTheRetriesAndTheMessageIsDropped() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    RecordingConsumer unused = new RecordingConsumer(n -> 200);
    start(
        unused,
        q -> q.consumerUrl(URI.create("http://127.0.0.1:" + closedPort))
            .consumerSettings(FAST.toBuilder().maxRetries(1).build()));
    assertThat(send(PRODUCER, "{}").statusCode()).isEqualTo(202);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> engine().stats("w7s:w7s-io/example-queue-worker/production/jobs").dropped() == 1);
    var stats = engine().stats("w7s:w7s-io/example-queue-worker/production/jobs");
    assertThat(stats.deliveries()).isEqualTo(2);
    assertThat(stats.acked()).isZero();
  }

  @Test
  void aSenderCannotSpoofTheCallerThroughItsBody() throws Exception {
    start(new RecordingConsumer(n -> 200), q -> q);
    assertThat(send(PRODUCER, "{\"caller\":{\"orgSlug\":\"evil\"},\"id\":\"x\"}").statusCode()).isEqualTo(202);
    JsonNode m = MAPPER.readTree(consumer().next().body()).path("messages").get(0);
    assertThat(m.path("caller").path("orgSlug").asText()).isEqualTo("w7s-io");
    assertThat(m.path("id").asText()).matches("[0-9a-f]{32}");
    assertThat(m.path("body").path("caller").path("orgSlug").asText()).isEqualTo("evil");
  }

  @Test
  void aFullBacklogIs503WithRetryAfterAndKeepsWhatItHas() throws Exception {
    start(
        new RecordingConsumer(n -> 200),
        q -> q.queueSettings(io.queues4j.core.QueueSettings.builder().maxBacklogMessages(1).build())
            .consumerSettings(FAST.toBuilder().maxBatchTimeout(Duration.ofSeconds(60)).build()));
    assertThat(send(PRODUCER, "{\"n\":1}").statusCode()).isEqualTo(202);
    HttpResponse<String> refused = send(PRODUCER, "{\"n\":2}");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).contains("1");
    assertThat(MAPPER.readTree(refused.body()).path("error").path("code").asText()).isEqualTo("service_unavailable");
    assertThat(engine().stats("w7s:w7s-io/example-queue-worker/production/jobs").metrics().backlogCount()).isEqualTo(1);
  }

  @Test
  void aBatchCarriesSeveralMessagesInSendOrder() throws Exception {
    start(
        new RecordingConsumer(n -> 200),
        q -> q.consumerSettings(FAST.toBuilder().maxBatchTimeout(Duration.ofSeconds(30)).maxBatchSize(3).build()));
    for (int i = 0; i < 3; i++) {
      assertThat(send(PRODUCER, "{\"n\":" + i + "}").statusCode()).isEqualTo(202);
    }
    JsonNode messages = MAPPER.readTree(consumer().next().body()).path("messages");
    assertThat(messages).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(messages.get(i).path("body").path("n").asInt()).isEqualTo(i);
    }
  }
}
