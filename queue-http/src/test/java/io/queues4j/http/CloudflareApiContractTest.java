package io.queues4j.http;

import static io.queues4j.http.CloudflareFixture.ACCOUNT;
import static io.queues4j.http.CloudflareFixture.queues;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.queues4j.http.CloudflareFixture.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every route of the Cloudflare face over real loopback HTTP, with the exact JSON it answers, and
 * the delivery semantics of {@link QueueBackend}'s contract (leases, visibility timeout, retries,
 * dead letters, delays, ordering, pause, purge). Backend-agnostic: a subclass supplies the backend
 * and, if its time does not come only from the clock it is given, how to move time.
 */
abstract class CloudflareApiContractTest {
  static final String T0 = "2026-05-24T21:59:00.000Z";
  static final String OK = "\"success\":true,\"errors\":[],\"messages\":[]";

  CloudflareFixture f;

  /** Makes the backend under test; its time must come from {@code clock}. */
  abstract QueueBackend backend(MutableClock clock);

  /** Moves time forward for the backend. */
  void advance(Duration by) {
    f.clock.advance(by);
  }

  @BeforeEach
  void start() {
    f = new CloudflareFixture(this::backend);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  static JsonNode json(String text) throws Exception {
    return RawHttp.MAPPER.readTree(text);
  }

  Reply post(String path, String body) throws Exception {
    return f.call("POST", path, body);
  }

  Reply get(String path) throws Exception {
    return f.call("GET", path, "");
  }

  private static String defaultSettings() {
    return "\"settings\":{\"delivery_delay\":0,\"delivery_paused\":false,\"message_retention_period\":345600}";
  }

  @Test
  void createsAQueueAndAnswersTheQueueObject() throws Exception {
    Reply r = post(queues(""), "{\"queue_name\":\"orders\"}");
    assertThat(r.status()).isEqualTo(200);
    String id = r.json().path("result").path("queue_id").asText();
    assertThat(id).matches("[0-9a-f]{32}");
    assertThat(r.json())
        .isEqualTo(
            json("{" + OK + ",\"result\":{\"queue_id\":\"" + id + "\",\"queue_name\":\"orders\","
                + "\"created_on\":\"" + T0 + "\",\"modified_on\":\"" + T0 + "\",\"producers\":[],"
                + "\"producers_total_count\":0,\"consumers\":[],\"consumers_total_count\":0,"
                + defaultSettings() + "}}"));
    assertThat(get(queues("/" + id)).json()).isEqualTo(r.json());
  }

  @Test
  void createsAQueueWithSettings() throws Exception {
    Reply r =
        post(queues(""), "{\"queue_name\":\"slow\",\"settings\":{\"delivery_delay\":30,"
            + "\"message_retention_period\":60,\"delivery_paused\":true}}");
    assertThat(r.json().path("result").path("settings"))
        .isEqualTo(json("{\"delivery_delay\":30,\"delivery_paused\":true,\"message_retention_period\":60}"));
  }

  @Test
  void listsQueuesWithResultInfoNameFilterAndPages() throws Exception {
    String a = f.createQueue("alpha");
    advance(Duration.ofSeconds(1));
    String b = f.createQueue("beta");
    Reply all = get(queues(""));
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.json().path("result").findValuesAsText("queue_id")).containsExactly(a, b);
    assertThat(all.json().path("result_info"))
        .isEqualTo(json("{\"page\":1,\"per_page\":100,\"count\":2,\"total_count\":2,\"total_pages\":1}"));
    Reply named = get(queues("?name=beta"));
    assertThat(named.json().path("result").findValuesAsText("queue_name")).containsExactly("beta");
    Reply page2 = get(queues("?per_page=1&page=2"));
    assertThat(page2.json().path("result").findValuesAsText("queue_name")).containsExactly("beta");
    assertThat(page2.json().path("result_info"))
        .isEqualTo(json("{\"page\":2,\"per_page\":1,\"count\":1,\"total_count\":2,\"total_pages\":2}"));
  }

  @Test
  void putReplacesTheSettingsAndPatchMergesThem() throws Exception {
    String id = f.createQueue("settings");
    advance(Duration.ofSeconds(5));
    Reply patched = f.call("PATCH", queues("/" + id), "{\"settings\":{\"delivery_delay\":7}}");
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().path("result").path("settings"))
        .isEqualTo(json("{\"delivery_delay\":7,\"delivery_paused\":false,\"message_retention_period\":345600}"));
    assertThat(patched.json().path("result").path("modified_on").asText()).isEqualTo("2026-05-24T21:59:05.000Z");
    patched = f.call("PATCH", queues("/" + id), "{\"settings\":{\"message_retention_period\":3600}}");
    assertThat(patched.json().path("result").path("settings"))
        .isEqualTo(json("{\"delivery_delay\":7,\"delivery_paused\":false,\"message_retention_period\":3600}"));
    Reply put =
        f.call("PUT", queues("/" + id), "{\"queue_name\":\"settings\",\"settings\":{\"delivery_paused\":true}}");
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.json().path("result").path("settings"))
        .isEqualTo(json("{\"delivery_delay\":0,\"delivery_paused\":true,\"message_retention_period\":345600}"));
  }

  @Test
  void deletesAQueue() throws Exception {
    String id = f.createQueue("doomed");
    Reply r = f.call("DELETE", queues("/" + id), "");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json()).isEqualTo(json("{" + OK + "}"));
    Reply gone = get(queues("/" + id));
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.json().path("errors").get(0).path("code").asInt()).isEqualTo(11000);
    assertThat(get(queues("")).json().path("result")).isEmpty();
  }

  @Test
  void addsListsGetsReplacesAndDeletesAPullConsumer() throws Exception {
    String q = f.createQueue("work");
    f.createQueue("work-dlq");
    Reply added =
        post(queues("/" + q + "/consumers"), "{\"type\":\"http_pull\",\"dead_letter_queue\":\"work-dlq\","
            + "\"settings\":{\"batch_size\":50,\"max_retries\":2,\"retry_delay\":10,\"visibility_timeout_ms\":6000}}");
    assertThat(added.status()).as(added.text()).isEqualTo(200);
    String c = added.json().path("result").path("consumer_id").asText();
    assertThat(c).matches("[0-9a-f]{32}");
    String consumer =
        "{\"consumer_id\":\"" + c + "\",\"queue_id\":\"" + q + "\",\"queue_name\":\"work\","
            + "\"created_on\":\"" + T0 + "\",\"type\":\"http_pull\",\"dead_letter_queue\":\"work-dlq\","
            + "\"settings\":{\"batch_size\":50,\"max_retries\":2,\"retry_delay\":10,\"visibility_timeout_ms\":6000}}";
    assertThat(added.json()).isEqualTo(json("{" + OK + ",\"result\":" + consumer + "}"));
    assertThat(get(queues("/" + q + "/consumers")).json())
        .isEqualTo(json("{" + OK + ",\"result\":[" + consumer + "]}"));
    assertThat(get(queues("/" + q + "/consumers/" + c)).json())
        .isEqualTo(json("{" + OK + ",\"result\":" + consumer + "}"));
    assertThat(get(queues("/" + q)).json().path("result").path("consumers_total_count").asInt()).isEqualTo(1);

    Reply replaced =
        f.call("PUT", queues("/" + q + "/consumers/" + c), "{\"type\":\"http_pull\",\"settings\":{\"batch_size\":7}}");
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.json().path("result"))
        .isEqualTo(
            json("{\"consumer_id\":\"" + c + "\",\"queue_id\":\"" + q + "\",\"queue_name\":\"work\","
                + "\"created_on\":\"" + T0 + "\",\"type\":\"http_pull\",\"dead_letter_queue\":\"\","
                + "\"settings\":{\"batch_size\":7,\"max_retries\":3,\"retry_delay\":0,\"visibility_timeout_ms\":30000}}"));

    Reply deleted = f.call("DELETE", queues("/" + q + "/consumers/" + c), "");
    assertThat(deleted.json()).isEqualTo(json("{" + OK + "}"));
    assertThat(get(queues("/" + q + "/consumers")).json().path("result")).isEmpty();
  }

  @Test
  void putOnAQueueWithoutConsumerCreatesOne() throws Exception {
    String q = f.createQueue("lazy");
    Reply r = f.call("PUT", queues("/" + q + "/consumers/0123456789abcdef0123456789abcdef"), "{\"type\":\"http_pull\"}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("result").path("type").asText()).isEqualTo("http_pull");
    assertThat(get(queues("/" + q + "/consumers")).json().path("result")).hasSize(1);
  }

  @Test
  void pushesJsonTextAndBytesAndPullsThemWithLeases() throws Exception {
    String q = f.createQueue("mixed");
    f.addPullConsumer(q, "{}");
    Reply pushed = post(queues("/" + q + "/messages"), "{\"body\":{\"greeting\":\"hello\"}}");
    assertThat(pushed.status()).isEqualTo(200);
    long nowMs = CloudflareFixture.START.toEpochMilli();
    assertThat(pushed.json())
        .isEqualTo(json("{" + OK + ",\"result\":{\"metadata\":{\"metrics\":{\"backlog_bytes\":20,"
            + "\"backlog_count\":1,\"oldest_message_timestamp_ms\":" + nowMs + "}}}}"));
    post(queues("/" + q + "/messages"), "{\"body\":\"plain words\",\"content_type\":\"text\"}");
    String raw = Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 255});
    post(queues("/" + q + "/messages"), "{\"body\":\"" + raw + "\",\"content_type\":\"bytes\"}");

    Reply pulled = post(queues("/" + q + "/messages/pull"), "{\"batch_size\":10,\"visibility_timeout_ms\":1000}");
    assertThat(pulled.status()).as(pulled.text()).isEqualTo(200);
    JsonNode result = pulled.json().path("result");
    assertThat(result.path("message_backlog_count").asInt()).isEqualTo(3);
    assertThat(result.path("metadata"))
        .isEqualTo(json("{\"metrics\":{\"backlog_bytes\":35,\"backlog_count\":3,\"oldest_message_timestamp_ms\":" + nowMs + "}}"));
    List<JsonNode> messages = new ArrayList<>();
    result.path("messages").forEach(messages::add);
    assertThat(messages).hasSize(3);
    String[] bodies = {
      Base64.getEncoder().encodeToString("{\"greeting\":\"hello\"}".getBytes(StandardCharsets.UTF_8)),
      "plain words",
      raw
    };
    String[] types = {"json", "text", "bytes"};
    for (int i = 0; i < 3; i++) {
      JsonNode m = messages.get(i);
      assertThat(m.path("id").asText()).matches("[0-9a-f]{32}");
      assertThat(m.path("lease_id").asText()).isNotBlank();
      assertThat(m)
          .isEqualTo(json("{\"id\":\"" + m.path("id").asText() + "\",\"body\":\"" + bodies[i] + "\","
              + "\"timestamp_ms\":" + nowMs + ",\"attempts\":1,\"lease_id\":\"" + m.path("lease_id").asText()
              + "\",\"metadata\":{\"CF-Content-Type\":\"" + types[i] + "\"}}"));
    }
    assertThat(post(queues("/" + q + "/messages/pull"), "{}").json().path("result").path("messages")).isEmpty();
  }

  @Test
  void pushesABatchWithABatchDelayAndPerMessageOverrides() throws Exception {
    String q = f.createQueue("batched");
    f.addPullConsumer(q, "{}");
    Reply r =
        post(queues("/" + q + "/messages/batch"), "{\"delay_seconds\":60,\"messages\":["
            + "{\"body\":1},{\"body\":2,\"delay_seconds\":0},{\"body\":\"three\",\"content_type\":\"text\"}]}");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().path("result").path("metadata").path("metrics").path("backlog_count").asInt()).isEqualTo(3);
    assertThat(bodies(pullAndAck(q))).containsExactly("Mg==");
    advance(Duration.ofSeconds(60));
    assertThat(bodies(pull(q, 10))).containsExactly("MQ==", "three");
  }

  @Test
  void aQueueDeliveryDelayAppliesUnlessAMessageSaysZero() throws Exception {
    Reply created =
        post(queues(""), "{\"queue_name\":\"delayed\",\"settings\":{\"delivery_delay\":30}}");
    String q = created.json().path("result").path("queue_id").asText();
    f.addPullConsumer(q, "{}");
    post(queues("/" + q + "/messages"), "{\"body\":\"later\",\"content_type\":\"text\"}");
    post(queues("/" + q + "/messages"), "{\"body\":\"now\",\"content_type\":\"text\",\"delay_seconds\":0}");
    assertThat(bodies(pullAndAck(q))).containsExactly("now");
    advance(Duration.ofSeconds(30));
    assertThat(bodies(pull(q, 10))).containsExactly("later");
  }

  @Test
  void pullUsesTheConsumersBatchSizeAndVisibilityTimeoutByDefault() throws Exception {
    String q = f.createQueue("defaults");
    f.addPullConsumer(q, "{\"batch_size\":2,\"visibility_timeout_ms\":5000}");
    pushTexts(q, "a", "b", "c");
    assertThat(bodies(pull(q, 0))).containsExactly("a", "b");
    advance(Duration.ofMillis(4_999));
    assertThat(bodies(pull(q, 0))).containsExactly("c");
    advance(Duration.ofMillis(1));
    JsonNode again = pullResult(q, 0);
    assertThat(bodies(again)).containsExactly("a", "b");
    assertThat(again.path("messages").get(0).path("attempts").asInt()).isEqualTo(2);
  }

  @Test
  void acksDeleteRetriesRedeliverAndUnknownLeasesAreWarnings() throws Exception {
    String q = f.createQueue("acks");
    f.addPullConsumer(q, "{}");
    pushTexts(q, "a", "b", "c");
    JsonNode batch = pullResult(q, 3);
    String la = lease(batch, 0);
    String lb = lease(batch, 1);
    Reply r =
        post(queues("/" + q + "/messages/ack"), "{\"acks\":[{\"lease_id\":\"" + la + "\"},{\"lease_id\":\"nope\"}],"
            + "\"retries\":[{\"lease_id\":\"" + lb + "\"}]}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("result").path("ackCount").asInt()).isEqualTo(1);
    assertThat(r.json().path("result").path("retryCount").asInt()).isEqualTo(1);
    assertThat(r.json().path("result").path("warnings").fieldNames()).toIterable().containsExactly("nope");
    JsonNode next = pullResult(q, 10);
    assertThat(bodies(next)).containsExactly("b");
    assertThat(next.path("messages").get(0).path("attempts").asInt()).isEqualTo(2);
    assertThat(next.path("message_backlog_count").asInt()).isEqualTo(2);

    Reply again = post(queues("/" + q + "/messages/ack"), "{\"acks\":[{\"lease_id\":\"" + la + "\"}]}");
    assertThat(again.json().path("result").path("ackCount").asInt()).isZero();
    assertThat(again.json().path("result").path("warnings").has(la)).isTrue();
    assertThat(get(queues("/" + q + "/metrics")).json().path("result").path("backlog_count").asInt()).isEqualTo(2);
  }

  @Test
  void anAckAfterTheLeaseEndedIsStillAccepted() throws Exception {
    String q = f.createQueue("late");
    f.addPullConsumer(q, "{\"visibility_timeout_ms\":1000}");
    pushTexts(q, "a");
    String first = lease(pullResult(q, 1), 0);
    advance(Duration.ofSeconds(2));
    String second = lease(pullResult(q, 1), 0);
    assertThat(second).isNotEqualTo(first);
    Reply r = post(queues("/" + q + "/messages/ack"), "{\"acks\":[{\"lease_id\":\"" + first + "\"}]}");
    assertThat(r.json().path("result").path("ackCount").asInt()).isEqualTo(1);
    assertThat(get(queues("/" + q + "/metrics")).json().path("result").path("backlog_count").asInt()).isZero();
  }

  @Test
  void aRetryDelayHoldsTheMessageAndRetriedMessagesGoToTheBack() throws Exception {
    String q = f.createQueue("order");
    f.addPullConsumer(q, "{}");
    pushTexts(q, "a", "b", "c");
    JsonNode batch = pullResult(q, 1);
    post(queues("/" + q + "/messages/ack"), "{\"retries\":[{\"lease_id\":\"" + lease(batch, 0) + "\",\"delay_seconds\":0}]}");
    assertThat(bodies(pull(q, 10))).containsExactly("b", "c", "a");

    String q2 = f.createQueue("held");
    f.addPullConsumer(q2, "{}");
    pushTexts(q2, "x");
    post(queues("/" + q2 + "/messages/ack"), "{\"retries\":[{\"lease_id\":\"" + lease(pullResult(q2, 1), 0)
        + "\",\"delay_seconds\":120}]}");
    assertThat(bodies(pull(q2, 10))).isEmpty();
    advance(Duration.ofMinutes(2));
    assertThat(bodies(pull(q2, 10))).containsExactly("x");
  }

  @Test
  void afterMaxRetriesAMessageMovesToTheDeadLetterQueue() throws Exception {
    String q = f.createQueue("fragile");
    String dlq = f.createQueue("fragile-dlq");
    post(queues("/" + q + "/consumers"), "{\"type\":\"http_pull\",\"dead_letter_queue\":\"fragile-dlq\","
        + "\"settings\":{\"max_retries\":1,\"visibility_timeout_ms\":1000}}");
    f.addPullConsumer(dlq, "{}");
    pushTexts(q, "poison");
    JsonNode first = pullResult(q, 1);
    String id = first.path("messages").get(0).path("id").asText();
    post(queues("/" + q + "/messages/ack"), "{\"retries\":[{\"lease_id\":\"" + lease(first, 0) + "\"}]}");
    JsonNode second = pullResult(q, 1);
    assertThat(second.path("messages").get(0).path("attempts").asInt()).isEqualTo(2);
    advance(Duration.ofSeconds(1)); // the second lease runs out: the last attempt failed
    assertThat(bodies(pull(q, 10))).isEmpty();
    JsonNode dead = pullResult(dlq, 10);
    assertThat(bodies(dead)).containsExactly("poison");
    assertThat(dead.path("messages").get(0).path("id").asText()).isEqualTo(id);
    assertThat(dead.path("messages").get(0).path("attempts").asInt()).isEqualTo(1);
    assertThat(get(queues("/" + q + "/metrics")).json().path("result").path("backlog_count").asInt()).isZero();
  }

  @Test
  void withoutADeadLetterQueueTheLastFailureDeletesTheMessage() throws Exception {
    String q = f.createQueue("no-dlq");
    f.addPullConsumer(q, "{\"max_retries\":0}");
    pushTexts(q, "once");
    post(queues("/" + q + "/messages/ack"), "{\"retries\":[{\"lease_id\":\"" + lease(pullResult(q, 1), 0) + "\"}]}");
    assertThat(get(queues("/" + q + "/metrics")).json().path("result"))
        .isEqualTo(json("{\"backlog_bytes\":0,\"backlog_count\":0,\"oldest_message_timestamp_ms\":0}"));
  }

  @Test
  void metricsCountLeasedAndDelayedMessages() throws Exception {
    String q = f.createQueue("metered");
    f.addPullConsumer(q, "{}");
    pushTexts(q, "ab");
    post(queues("/" + q + "/messages"), "{\"body\":\"cde\",\"content_type\":\"text\",\"delay_seconds\":600}");
    pull(q, 10);
    Reply m = get(queues("/" + q + "/metrics"));
    assertThat(m.json())
        .isEqualTo(json("{" + OK + ",\"result\":{\"backlog_bytes\":5,\"backlog_count\":2,"
            + "\"oldest_message_timestamp_ms\":" + CloudflareFixture.START.toEpochMilli() + "}}"));
  }

  @Test
  void purgeDeletesEveryMessageAndReportsItsStatus() throws Exception {
    String q = f.createQueue("purged");
    f.addPullConsumer(q, "{}");
    assertThat(get(queues("/" + q + "/purge")).json()).isEqualTo(json("{" + OK + ",\"result\":{}}"));
    pushTexts(q, "a", "b");
    String leased = lease(pullResult(q, 1), 0);
    Reply r = post(queues("/" + q + "/purge"), "{\"delete_messages_permanently\":true}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("result").path("queue_id").asText()).isEqualTo(q);
    assertThat(get(queues("/" + q + "/metrics")).json().path("result").path("backlog_count").asInt()).isZero();
    assertThat(get(queues("/" + q + "/purge")).json())
        .isEqualTo(json("{" + OK + ",\"result\":{\"started_at\":\"" + T0 + "\",\"completed\":true}}"));
    Reply ack = post(queues("/" + q + "/messages/ack"), "{\"acks\":[{\"lease_id\":\"" + leased + "\"}]}");
    assertThat(ack.json().path("result").path("ackCount").asInt()).isZero();
    assertThat(ack.json().path("result").path("warnings").has(leased)).isTrue();
  }

  @Test
  void aPausedQueueStoresButDoesNotDeliver() throws Exception {
    String q = f.createQueue("paused");
    f.addPullConsumer(q, "{}");
    f.call("PATCH", queues("/" + q), "{\"settings\":{\"delivery_paused\":true}}");
    assertThat(post(queues("/" + q + "/messages"), "{\"body\":1}").status()).isEqualTo(200);
    Reply refused = post(queues("/" + q + "/messages/pull"), "{}");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().path("errors").get(0).path("code").asInt()).isEqualTo(10252);
    assertThat(refused.json().path("errors").get(0).path("message").asText()).startsWith("queue_delivery_paused");
    f.call("PATCH", queues("/" + q), "{\"settings\":{\"delivery_paused\":false}}");
    assertThat(bodies(pull(q, 10))).containsExactly("MQ==");
  }

  @Test
  void messagesOlderThanTheRetentionPeriodAreDeleted() throws Exception {
    Reply created =
        post(queues(""), "{\"queue_name\":\"short\",\"settings\":{\"message_retention_period\":60}}");
    String q = created.json().path("result").path("queue_id").asText();
    f.addPullConsumer(q, "{}");
    pushTexts(q, "stale");
    advance(Duration.ofSeconds(61)); // past the 60 s period (the engine sweeps on whole seconds)
    assertThat(bodies(pull(q, 10))).isEmpty();
    assertThat(get(queues("/" + q + "/metrics")).json().path("result").path("backlog_count").asInt()).isZero();
  }

  @Test
  void accountIdsAreCaseInsensitive() throws Exception {
    Reply r = get("/client/v4/accounts/" + ACCOUNT.toUpperCase(java.util.Locale.ROOT) + "/queues");
    assertThat(r.status()).isEqualTo(200);
  }

  // ---- helpers

  void pushTexts(String q, String... texts) throws Exception {
    StringBuilder sb = new StringBuilder("{\"messages\":[");
    for (int i = 0; i < texts.length; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"body\":\"").append(texts[i]).append("\",\"content_type\":\"text\"}");
    }
    Reply r = post(queues("/" + q + "/messages/batch"), sb.append("]}").toString());
    assertThat(r.status()).as(r.text()).isEqualTo(200);
  }

  /** Pulls; batch size 0 means "not given". Returns the result object. */
  JsonNode pullResult(String q, int batchSize) throws Exception {
    Reply r = post(queues("/" + q + "/messages/pull"), batchSize == 0 ? "{}" : "{\"batch_size\":" + batchSize + "}");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json().path("result");
  }

  JsonNode pull(String q, int batchSize) throws Exception {
    return pullResult(q, batchSize);
  }

  /** Pulls up to 10 and acknowledges them all. */
  JsonNode pullAndAck(String q) throws Exception {
    JsonNode result = pullResult(q, 10);
    StringBuilder acks = new StringBuilder("{\"acks\":[");
    for (int i = 0; i < result.path("messages").size(); i++) {
      acks.append(i == 0 ? "" : ",").append("{\"lease_id\":\"").append(lease(result, i)).append("\"}");
    }
    Reply r = post(queues("/" + q + "/messages/ack"), acks.append("]}").toString());
    assertThat(r.json().path("result").path("ackCount").asInt()).isEqualTo(result.path("messages").size());
    return result;
  }

  static List<String> bodies(JsonNode result) {
    List<String> out = new ArrayList<>();
    result.path("messages").forEach(m -> out.add(m.path("body").asText()));
    return out;
  }

  static String lease(JsonNode result, int i) {
    return result.path("messages").get(i).path("lease_id").asText();
  }
}
