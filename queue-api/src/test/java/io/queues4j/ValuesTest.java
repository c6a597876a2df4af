package io.queues4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The api's values validate their arguments and name the value they reject. */
class ValuesTest {

  @Test
  void delaysAreWholeSecondsFromZeroTo86400() {
    assertThat(QueueSendOptions.delaySeconds(0).delaySeconds()).hasValue(0);
    assertThat(QueueSendBatchOptions.delaySeconds(86_400).delaySeconds()).hasValue(86_400);
    assertThatThrownBy(() -> QueueRetryOptions.delaySeconds(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delaySeconds must be an integer in [0, 86400] but was -1");
    assertThatThrownBy(() -> new QueueSendOptions(QueueContentType.TEXT, OptionalInt.of(86_401)))
        .hasMessageContaining("86401");
  }

  @Test
  void exponentialBackoffGrowsThenStopsAtTheLimit() {
    assertThat(QueueRetryOptions.exponentialBackoff(2, 0).delaySeconds()).hasValue(1);
    assertThat(QueueRetryOptions.exponentialBackoff(2, 10).delaySeconds()).hasValue(1_024);
    assertThat(QueueRetryOptions.exponentialBackoff(1, 1_000).delaySeconds()).hasValue(1);
    assertThat(QueueRetryOptions.exponentialBackoff(Integer.MAX_VALUE, 2).delaySeconds())
        .hasValue(86_400);
    assertThatThrownBy(() -> QueueRetryOptions.exponentialBackoff(0, 1))
        .hasMessageContaining("0");
  }

  @Test
  void aRequestCarriesItsOwnDelayAndContentType() {
    MessageSendRequest<String> request =
        MessageSendRequest.of("hi", QueueContentType.TEXT).withDelaySeconds(5);
    assertThat(request.contentType()).isEqualTo(QueueContentType.TEXT);
    assertThat(request.delaySeconds()).hasValue(5);
    assertThat(MessageSendRequest.of("x").delaySeconds()).isEmpty();
  }

  @Test
  void metricsAreNeverNegative() {
    assertThatThrownBy(() -> new QueueMetrics(-1, 0, 0)).hasMessageContaining("count=-1");
    assertThat(QueueMetrics.EMPTY.backlogCount()).isZero();
  }

  @Test
  void contentTypesHaveCloudflaresWireNames() {
    assertThat(QueueContentType.JSON.wireName()).isEqualTo("json");
    assertThat(QueueContentType.V8.wireName()).isEqualTo("v8");
  }

  @Test
  void exceptionsNameTheQueueTheLimitAndTheValue() {
    MessageTooLargeException e = new MessageTooLargeException("q", "send", 128_000, 128_001);
    assertThat(e.queue()).isEqualTo("q");
    assertThat(e)
        .hasMessage("Queue send failed: message length of 128001 bytes exceeds limit of 128000"
            + " (queue 'q')");
    assertThat(new StorageLimitExceededException("q", "queue 'q'", "bytes", 10, 9, 2, true))
        .hasMessageContaining("backlog of 9 bytes plus 2 would exceed its limit of 10 bytes")
        .hasMessageContaining("no room was made");
  }
}
