package io.queues4j.http;

import static io.queues4j.http.CloudflareFixture.queues;
import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.http.CloudflareFixture.Reply;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Cloudflare face's contract tests over the engine ({@link EngineQueueBackend}), plus what the
 * engine does its own way: an ack after the lease ended is not applied (at-least-once).
 */
class EngineBackendCloudflareApiTest extends CloudflareApiContractTest {
  private final EngineBackends engines = new EngineBackends();

  @Override
  QueueBackend backend(MutableClock clock) {
    return engines.backend(clock);
  }

  @Override
  void advance(Duration by) {
    engines.advance(f.clock, by);
  }

  @AfterEach
  void closeEngines() {
    engines.closeAll();
  }

  /** Replaces the contract's permissive test: the engine redelivers instead. */
  @Override
  @Test
  void anAckAfterTheLeaseEndedIsStillAccepted() throws Exception {
    String q = f.createQueue("late");
    f.addPullConsumer(q, "{\"visibility_timeout_ms\":1000}");
    pushTexts(q, "a");
    String first = lease(pullResult(q, 1), 0);
    advance(Duration.ofSeconds(2));
    Reply late = post(queues("/" + q + "/messages/ack"), "{\"acks\":[{\"lease_id\":\"" + first + "\"}]}");
    assertThat(late.status()).isEqualTo(200);
    assertThat(late.json().path("result").path("ackCount").asInt()).isZero();
    assertThat(late.json().path("result").path("warnings").has(first)).isTrue();
    var again = pullResult(q, 1);
    assertThat(again.path("messages").get(0).path("attempts").asInt()).isEqualTo(2);
    Reply ack = post(queues("/" + q + "/messages/ack"),
        "{\"acks\":[{\"lease_id\":\"" + lease(again, 0) + "\"}]}");
    assertThat(ack.json().path("result").path("ackCount").asInt()).isEqualTo(1);
    assertThat(get(queues("/" + q + "/metrics")).json().path("result").path("backlog_count").asInt())
        .isZero();
  }
}
