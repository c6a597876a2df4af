package io.queues4j.examples.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.MessageTooLargeException;
import io.queues4j.QueueSendOptions;
import io.queues4j.testkit.FakeQueue;
import io.queues4j.testkit.RecordedSend;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Producer tests: a {@link FakeQueue} records what the service sent. */
class OrderServiceTest {

  // @start region=producer
  @Test
  void publishesOneEventPerOrder() {
    FakeQueue<OrderPlaced> events = FakeQueue.create("orders");
    OrderService service = new OrderService(events);

    assertThat(service.place("o-1", 1999, "gift wrap")).isTrue();

    assertThat(events.sentBodies()).containsExactly(new OrderPlaced("o-1", 1999, "gift wrap"));
  }

  @Test
  void anOversizeEventFailsHereNotInProduction() {
    FakeQueue<OrderPlaced> events = FakeQueue.create("orders");
    OrderService service = new OrderService(events);

    boolean placed = service.place("o-2", 500, "x".repeat(128_000)); // JSON > 128,000 bytes

    assertThat(placed).isFalse();
    assertThat(events.sent()).isEmpty();
  }

  @Test
  void reportsAQueueOutage() {
    FakeQueue<OrderPlaced> events = FakeQueue.create("orders");
    events.failNextSend(); // "Too Many Requests"

    assertThat(new OrderService(events).place("o-3", 100, "")).isFalse();
    assertThat(new OrderService(events).place("o-3", 100, "")).isTrue(); // the retry succeeds
  }
  // @end region=producer

  @Test
  void remindersAreDelayedByAnHour() {
    FakeQueue<OrderPlaced> events = FakeQueue.create("orders");

    new OrderService(events).remindLater("o-4");

    RecordedSend reminder = events.sent().get(0);
    assertThat(reminder.options()).isEqualTo(QueueSendOptions.delaySeconds(3600));
    assertThat(Duration.between(reminder.at(), reminder.visibleAt())).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void theFakeValidatesLikeTheEngine() {
    FakeQueue<OrderPlaced> events = FakeQueue.create("orders");

    assertThat(events.send(new OrderPlaced("o-5", 1, "y".repeat(130_000))))
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(MessageTooLargeException.class);
  }
}
