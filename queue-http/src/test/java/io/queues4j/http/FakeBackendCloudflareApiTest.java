package io.queues4j.http;

import static io.queues4j.http.CloudflareFixture.queues;
import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.http.CloudflareFixture.Reply;
import org.junit.jupiter.api.Test;

/**
 * The Cloudflare face's contract tests over {@link FakeQueueBackend}, plus what only the fake can
 * set up (a consumer attached in Java, shown as a worker).
 */
class FakeBackendCloudflareApiTest extends CloudflareApiContractTest {
  @Override
  QueueBackend backend(MutableClock clock) {
    return new FakeQueueBackend(clock);
  }

  @Test
  void aConsumerAttachedInJavaIsListedAsAWorkerAndCannotBePulledFrom() throws Exception {
    String q = f.createQueue("pushed");
    String c = ((FakeQueueBackend) f.backend).attachWorker(q, "billing-worker");
    Reply list = get(queues("/" + q + "/consumers"));
    assertThat(list.json().path("result"))
        .isEqualTo(
            json("[{\"consumer_id\":\"" + c + "\",\"queue_id\":\"" + q + "\",\"queue_name\":\"pushed\","
                + "\"created_on\":\"" + T0 + "\",\"type\":\"worker\",\"script_name\":\"billing-worker\","
                + "\"dead_letter_queue\":\"\",\"settings\":{\"batch_size\":10,\"max_concurrency\":null,"
                + "\"max_retries\":3,\"max_wait_time_ms\":5000,\"retry_delay\":0}}]"));
    Reply pull = post(queues("/" + q + "/messages/pull"), "{}");
    assertThat(pull.status()).isEqualTo(400);
    assertThat(pull.json().path("errors").get(0).path("message").asText()).contains("no http_pull consumer");
    Reply replace = f.call("PUT", queues("/" + q + "/consumers/" + c), "{\"type\":\"http_pull\"}");
    assertThat(replace.status()).isEqualTo(409);
    assertThat(replace.json().path("errors").get(0).path("code").asInt()).isEqualTo(11004);
  }

  @Test
  void aFullBacklogIs429WithRetryAfterAndStoresNothing() throws Exception {
    try (CloudflareFixture small = new CloudflareFixture(clock -> new FakeQueueBackend(clock, 1))) {
      String q = small.createQueue("tiny");
      assertThat(small.call("POST", queues("/" + q + "/messages"), "{\"body\":1}").status()).isEqualTo(200);
      Reply full = small.call("POST", queues("/" + q + "/messages"), "{\"body\":2}");
      assertThat(full.status()).isEqualTo(429);
      assertThat(full.json().path("errors").get(0).path("code").asInt()).isEqualTo(10251);
      assertThat(small.backend.metrics(q).backlogCount()).isEqualTo(1);
    }
  }
}
