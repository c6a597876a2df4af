package io.queues4j.http;

import static io.queues4j.http.CloudflareFixture.ACCOUNT;
import static io.queues4j.http.CloudflareFixture.BURST_TOKEN;
import static io.queues4j.http.CloudflareFixture.OTHER_ACCOUNT;
import static io.queues4j.http.CloudflareFixture.TOKEN;
import static io.queues4j.http.CloudflareFixture.W7S_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad and hostile requests to the Cloudflare face over real loopback HTTP: each gets exactly its
 * status and Cloudflare code in the v4 error envelope, without internals, and leaves the backend as
 * it was. Backend-agnostic: a subclass supplies the backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CloudflareHostileRequestsTest {
  private static final String AUTH = "Authorization: Bearer " + TOKEN;
  private static final String JSON = "Content-Type: application/json";
  /** The queue with a pull consumer, the queue without, and the pull consumer's id. */
  private static final String Q = "{Q}";
  private static final String BARE = "{BARE}";
  private static final String C = "{C}";

  @SuppressWarnings("ArrayRecordComponent") // a test value, never compared
  record Case(String name, String method, String path, String body, int status, int code, String[] headers) {
    @Override
    public String toString() {
      return name + " -> " + status + "/" + code;
    }
  }

  private CloudflareFixture fixture;
  private String queueId;
  private String bareId;
  private String consumerId;

  abstract QueueBackend backend(MutableClock clock);

  @BeforeAll
  void start() throws Exception {
    fixture =
        new CloudflareFixture(
            this::backend, b -> b.rateLimits(RateLimits.builder().perRepo(RateLimit.perMinute(5)).build()));
    queueId = fixture.createQueue("hostile");
    bareId = fixture.createQueue("bare");
    fixture.createQueue("existing");
    consumerId = fixture.addPullConsumer(queueId, "{}");
    for (int i = 0; i < 5; i++) { // the burst caller uses up its allowance
      var r = fixture.call("POST", CloudflareFixture.queues("/" + bareId + "/messages"), "{\"body\":1}", BURST_TOKEN);
      assertThat(r.status()).as(r.text()).isEqualTo(200);
    }
  }

  @AfterAll
  void stop() {
    fixture.close();
  }

  private static Case c(String name, String method, String path, String body, int status, int code, String... headers) {
    String[] h = headers.length == 0 ? new String[] {AUTH, JSON} : headers;
    return new Case(name, method, path, body, status, code, h);
  }

  private static String q(String tail) {
    return "/client/v4/accounts/" + ACCOUNT + "/queues" + tail;
  }

  private static Case push(String name, String body, int status, int code) {
    return c(name, "POST", q("/" + Q + "/messages"), body, status, code);
  }

  private static Case batch(String name, String body, int status, int code) {
    return c(name, "POST", q("/" + Q + "/messages/batch"), body, status, code);
  }

  private static Case pull(String name, String body, int status, int code) {
    return c(name, "POST", q("/" + Q + "/messages/pull"), body, status, code);
  }

  private static Case ack(String name, String body, int status, int code) {
    return c(name, "POST", q("/" + Q + "/messages/ack"), body, status, code);
  }

  private static Case consumer(String name, String body, int status, int code) {
    return c(name, "POST", q("/" + BARE + "/consumers"), body, status, code);
  }

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    // Authentication and account.
    cases.add(c("no Authorization", "GET", q(""), "", 401, 10000, JSON));
    cases.add(c("unknown token", "GET", q(""), "", 401, 10000, "Authorization: Bearer not-a-configured-token-01"));
    cases.add(c("Basic scheme", "GET", q(""), "", 401, 10000, "Authorization: Basic YWNtZTpwdw=="));
    cases.add(c("token of a caller not allowed on the API", "GET", q(""), "", 403, 10000, "Authorization: Bearer " + W7S_TOKEN));
    cases.add(c("malformed account id", "GET", "/client/v4/accounts/acme/queues", "", 404, 7003));
    cases.add(c("another account", "GET", "/client/v4/accounts/" + OTHER_ACCOUNT + "/queues", "", 403, 10000));
    cases.add(c("another account, push", "POST", "/client/v4/accounts/" + OTHER_ACCOUNT + "/queues/" + Q + "/messages", "{\"body\":1}", 403, 10000));
    // Routing and identifiers.
    cases.add(c("unknown route", "GET", q("/" + Q + "/nope"), "", 404, 7000));
    cases.add(c("unsupported peek route", "POST", q("/" + Q + "/messages/peek"), "{}", 404, 7000));
    cases.add(c("GET on the push route", "GET", q("/" + Q + "/messages"), "", 405, 7001));
    cases.add(c("DELETE on the pull route", "DELETE", q("/" + Q + "/messages/pull"), "", 405, 7001));
    cases.add(c("queue id with a dash", "GET", q("/not-an-id"), "", 400, 10107));
    cases.add(c("queue id of 65 characters", "GET", q("/" + "a".repeat(65)), "", 400, 10107));
    cases.add(c("unknown queue", "GET", q("/0123456789abcdef0123456789abcdef"), "", 404, 11000));
    cases.add(c("unknown queue, consumers", "GET", q("/0123456789abcdef0123456789abcdef/consumers"), "", 404, 11000));
    cases.add(c("unknown queue, push", "POST", q("/0123456789abcdef0123456789abcdef/messages"), "{\"body\":1}", 404, 10104));
    cases.add(c("unknown queue, pull", "POST", q("/0123456789abcdef0123456789abcdef/messages/pull"), "{}", 404, 10104));
    cases.add(c("unknown queue, ack", "POST", q("/0123456789abcdef0123456789abcdef/messages/ack"), "{}", 404, 10104));
    cases.add(c("unknown consumer", "GET", q("/" + Q + "/consumers/0123456789abcdef0123456789abcdef"), "", 404, 7003));
    cases.add(c("malformed consumer id", "DELETE", q("/" + Q + "/consumers/x-y"), "", 404, 7003));
    // Queue management bodies.
    cases.add(c("queue name with spaces", "POST", q(""), "{\"queue_name\":\"bad name!\"}", 400, 11003));
    cases.add(c("queue name of 64 characters", "POST", q(""), "{\"queue_name\":\"" + "n".repeat(64) + "\"}", 400, 11003));
    cases.add(c("no queue name", "POST", q(""), "{}", 400, 11003));
    cases.add(c("queue name not a string", "POST", q(""), "{\"queue_name\":7}", 400, 10207));
    cases.add(c("duplicate queue name", "POST", q(""), "{\"queue_name\":\"existing\"}", 409, 11009));
    cases.add(c("malformed JSON", "POST", q(""), "{\"queue_name\":", 400, 10208));
    cases.add(c("duplicate JSON keys", "POST", q(""), "{\"queue_name\":\"a1\",\"queue_name\":\"a2\"}", 400, 10208));
    cases.add(c("trailing content", "POST", q(""), "{\"queue_name\":\"a3\"} {}", 400, 10208));
    cases.add(c("body is an array", "POST", q(""), "[]", 400, 10207));
    cases.add(c("nested 5000 deep", "POST", q(""), "[".repeat(5000) + "]".repeat(5000), 400, 10208));
    cases.add(c("retention of 59 s", "POST", q(""), "{\"queue_name\":\"a4\",\"settings\":{\"message_retention_period\":59}}", 400, 10207));
    cases.add(c("delivery delay of 86401 s", "PATCH", q("/" + Q), "{\"settings\":{\"delivery_delay\":86401}}", 400, 10207));
    cases.add(c("delivery_paused not a boolean", "PATCH", q("/" + Q), "{\"settings\":{\"delivery_paused\":\"yes\"}}", 400, 10207));
    cases.add(c("rename by PUT", "PUT", q("/" + Q), "{\"queue_name\":\"renamed\"}", 400, 10207));
    cases.add(c("purge without confirmation", "POST", q("/" + Q + "/purge"), "{}", 400, 10207));
    cases.add(c("list page 0", "GET", q("?page=0"), "", 400, 10207));
    cases.add(c("list per_page 1001", "GET", q("?per_page=1001"), "", 400, 10207));
    cases.add(c("list page twice", "GET", q("?page=1&page=2"), "", 400, 10207));
    cases.add(c("list query with bad percent-encoding", "GET", q("?name=%zz"), "", 400, 10207));
    // Consumers.
    cases.add(consumer("consumer without type", "{}", 400, 10207));
    cases.add(consumer("worker consumer", "{\"type\":\"worker\",\"script_name\":\"w\"}", 400, 10207));
    cases.add(consumer("unknown consumer type", "{\"type\":\"http_push\"}", 400, 10207));
    cases.add(consumer("consumer batch_size 0", "{\"type\":\"http_pull\",\"settings\":{\"batch_size\":0}}", 400, 10207));
    cases.add(consumer("consumer max_retries 101", "{\"type\":\"http_pull\",\"settings\":{\"max_retries\":101}}", 400, 10207));
    cases.add(consumer("consumer visibility 12 h + 1 ms", "{\"type\":\"http_pull\",\"settings\":{\"visibility_timeout_ms\":43200001}}", 400, 10207));
    cases.add(consumer("dead-letter queue is itself", "{\"type\":\"http_pull\",\"dead_letter_queue\":\"bare\"}", 400, 10207));
    cases.add(consumer("dead-letter queue does not exist", "{\"type\":\"http_pull\",\"dead_letter_queue\":\"nowhere\"}", 400, 10207));
    cases.add(c("second consumer", "POST", q("/" + Q + "/consumers"), "{\"type\":\"http_pull\"}", 409, 11004));
    // Pull.
    cases.add(pull("batch_size 0", "{\"batch_size\":0}", 400, 10207));
    cases.add(pull("batch_size 101", "{\"batch_size\":101}", 400, 10207));
    cases.add(pull("batch_size 1.5", "{\"batch_size\":1.5}", 400, 10207));
    cases.add(pull("batch_size as a string", "{\"batch_size\":\"5\"}", 400, 10207));
    cases.add(pull("batch_size 1e999999", "{\"batch_size\":1e999999}", 400, 10207));
    cases.add(pull("batch_size -1e999999", "{\"batch_size\":-1e999999}", 400, 10207));
    cases.add(pull("batch_size of 400 digits", "{\"batch_size\":" + "9".repeat(400) + "}", 400, 10207));
    cases.add(pull("batch_size true", "{\"batch_size\":true}", 400, 10207));
    cases.add(pull("visibility_timeout_ms 0", "{\"visibility_timeout_ms\":0}", 400, 10207));
    cases.add(pull("visibility_timeout_ms over 12 h", "{\"visibility_timeout_ms\":43200001}", 400, 10207));
    cases.add(pull("both visibility names", "{\"visibility_timeout_ms\":1000,\"visibility_timeout\":1000}", 400, 10207));
    cases.add(pull("malformed JSON", "{", 400, 10208));
    cases.add(c("pull without a pull consumer", "POST", q("/" + BARE + "/messages/pull"), "{}", 400, 10207));
    // Push.
    cases.add(push("no body field", "{\"content_type\":\"json\"}", 400, 10207));
    cases.add(push("bytes not base64", "{\"body\":\"***\",\"content_type\":\"bytes\"}", 400, 10203));
    cases.add(push("bytes with a line break", "{\"body\":\"AAEC\\nAwQ=\",\"content_type\":\"bytes\"}", 400, 10203));
    cases.add(push("bytes body not a string", "{\"body\":[1,2],\"content_type\":\"bytes\"}", 400, 10203));
    cases.add(push("text body not a string", "{\"body\":{\"a\":1},\"content_type\":\"text\"}", 400, 10203));
    cases.add(push("content_type v8", "{\"body\":\"x\",\"content_type\":\"v8\"}", 400, 10203));
    cases.add(push("content_type xml", "{\"body\":\"x\",\"content_type\":\"xml\"}", 400, 10203));
    cases.add(push("delay_seconds -1", "{\"body\":1,\"delay_seconds\":-1}", 400, 10203));
    cases.add(push("delay_seconds 86401", "{\"body\":1,\"delay_seconds\":86401}", 400, 10203));
    cases.add(push("text of 128001 bytes", "{\"body\":\"" + "a".repeat(128_001) + "\",\"content_type\":\"text\"}", 413, 10204));
    cases.add(push("JSON string of 127999 characters (128001 bytes with quotes)", "{\"body\":\"" + "a".repeat(127_999) + "\"}", 413, 10204));
    cases.add(push("request body over 2 MiB", "{\"body\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}", 413, 10205));
    // Batch.
    cases.add(batch("messages missing", "{}", 400, 10207));
    cases.add(batch("messages not an array", "{\"messages\":{}}", 400, 10207));
    cases.add(batch("empty batch", "{\"messages\":[]}", 400, 10206));
    cases.add(batch("101 messages", "{\"messages\":[" + "{\"body\":1},".repeat(100) + "{\"body\":1}]}", 400, 10206));
    cases.add(batch("message not an object", "{\"messages\":[1]}", 400, 10207));
    cases.add(batch("batch delay 86401", "{\"delay_seconds\":86401,\"messages\":[{\"body\":1}]}", 400, 10202));
    cases.add(batch("batch of 256003 bytes", "{\"messages\":[" + ("{\"body\":\"" + "b".repeat(127_998) + "\"},").repeat(2)
        + "{\"body\":\"b\"}]}", 413, 10205));
    cases.add(batch("one bad message fails the batch", "{\"messages\":[{\"body\":1},{\"body\":1,\"content_type\":\"text\"}]}", 400, 10203));
    // Ack.
    cases.add(ack("acks not an array", "{\"acks\":{}}", 400, 10207));
    cases.add(ack("ack without lease_id", "{\"acks\":[{}]}", 400, 10207));
    cases.add(ack("lease_id not a string", "{\"acks\":[{\"lease_id\":5}]}", 400, 10207));
    cases.add(ack("empty lease_id", "{\"acks\":[{\"lease_id\":\"\"}]}", 400, 10207));
    cases.add(ack("lease_id over 1024 characters", "{\"acks\":[{\"lease_id\":\"" + "l".repeat(1025) + "\"}]}", 400, 10207));
    cases.add(ack("1001 settlements", "{\"acks\":[" + "{\"lease_id\":\"x\"},".repeat(1000) + "{\"lease_id\":\"x\"}]}", 400, 10207));
    cases.add(ack("retry delay 86401", "{\"retries\":[{\"lease_id\":\"x\",\"delay_seconds\":86401}]}", 400, 10207));
    // Rate limit: the burst caller used its allowance in setup.
    cases.add(c("rate limit exceeded", "POST", q("/" + BARE + "/messages"), "{\"body\":1}", 429, 10250,
        "Authorization: Bearer " + BURST_TOKEN, JSON));
    return cases;
  }

  @Test
  void theTableHasAtLeastTwentyRows() {
    assertThat(cases()).hasSizeGreaterThanOrEqualTo(20);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedWithItsStatusAndCodeAndChangesNothing(Case c) throws Exception {
    String before = fixture.state();
    RawHttp.Response response = RawHttp.send(fixture.port(), request(c));
    assertThat(response.status()).as(response.text()).isEqualTo(c.status());
    assertThat(fixture.state()).as("backend unchanged").isEqualTo(before);
    assertThat(response.header("Content-Type")).startsWith("application/json");
    JsonNode json = response.json();
    assertThat(json.path("success").isBoolean() && !json.path("success").booleanValue()).as(response.text()).isTrue();
    assertThat(json.path("errors")).hasSize(1);
    assertThat(json.path("errors").get(0).path("code").asInt()).as(response.text()).isEqualTo(c.code());
    assertThat(json.path("errors").get(0).path("message").asText()).isNotBlank();
    assertThat(json.path("messages").isArray()).isTrue();
    assertThat(json.path("result").isNull()).isTrue();
    assertThat(response.text()).doesNotContain("Exception", "\tat ", "org.eclipse", "io.queues4j.");
    if (c.status() == 401) {
      assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
    }
    if (c.status() == 405) {
      assertThat(response.header("Allow")).isNotBlank();
    }
    if (c.status() == 429) {
      assertThat(Long.parseLong(response.header("Retry-After"))).isPositive();
    }
  }

  @Test
  void anUnknownLeaseIsAWarningInASuccessfulAnswerAndChangesNothing() throws Exception {
    String before = fixture.state();
    var r =
        fixture.call(
            "POST",
            CloudflareFixture.queues("/" + queueId + "/messages/ack"),
            "{\"acks\":[{\"lease_id\":\"never-issued\"}],\"retries\":[{\"lease_id\":\"also-never\"}]}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("result").path("ackCount").asInt()).isZero();
    assertThat(r.json().path("result").path("retryCount").asInt()).isZero();
    assertThat(r.json().path("result").path("warnings").size()).isEqualTo(2);
    assertThat(fixture.state()).isEqualTo(before);
  }

  private byte[] request(Case c) {
    String path = c.path().replace(Q, queueId).replace(BARE, bareId).replace(C, consumerId);
    StringBuilder sb = new StringBuilder();
    sb.append(c.method()).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (String h : c.headers()) {
      sb.append(h).append("\r\n");
    }
    byte[] body = c.body().getBytes(StandardCharsets.UTF_8);
    if (body.length > 0 || c.method().equals("POST") || c.method().equals("PUT") || c.method().equals("PATCH")) {
      sb.append("Content-Length: ").append(body.length).append("\r\n");
    }
    sb.append("\r\n");
    byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }
}
