package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.QueueMetrics;
import io.queues4j.spi.ClaimResult;
import io.queues4j.spi.MessageStore;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.SettleResult;
import io.queues4j.spi.Settlement;
import io.queues4j.spi.StoreException;
import io.queues4j.spi.StoredMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A handler that closes its engine: its batch settles when it returns, and a store that refuses
 * work once closed (as a durable store does) is closed only after that settlement.
 */
class CloseFromHandlerStoreTest {

  @Test
  void theStoreClosesAfterTheClosingHandlersBatchSettled() throws Exception {
    StrictStore store = new StrictStore();
    CountDownLatch acked = new CountDownLatch(1);
    QueueEngine engine = QueueEngine.builder().store(store)
        .listener(e -> {
          if (e instanceof QueueEvent.Acked) {
            acked.countDown();
          }
        })
        .build();
    engine.declareQueue("jobs");
    CompletableFuture<Boolean> storeOpenWhenShutdownReturned = new CompletableFuture<>();
    engine.consume("jobs", String.class,
        ConsumerSettings.builder().maxBatchSize(1).maxBatchTimeout(Duration.ZERO).build(),
        (batch, ctx) -> {
          engine.shutdown(Duration.ofSeconds(5));
          storeOpenWhenShutdownReturned.complete(!store.closed);
        });
    engine.<String>queue("jobs").send("x").join();

    assertThat(storeOpenWhenShutdownReturned.get(10, TimeUnit.SECONDS))
        .as("the store stays open for the closing handler's batch").isTrue();
    assertThat(acked.await(10, TimeUnit.SECONDS)).as("the batch was acked").isTrue();
    assertThat(store.closedLatch.await(10, TimeUnit.SECONDS)).as("the store closed").isTrue();
    assertThat(store.refused).as("operations refused by the closed store").isEmpty();
    assertThat(engine.stats("jobs").acked()).isEqualTo(1);
  }

  /** The in-memory store, except that it refuses every operation once closed. */
  private static final class StrictStore implements MessageStore {
    final InMemoryStore delegate = InMemoryStore.create();
    final List<String> refused = new CopyOnWriteArrayList<>();
    final CountDownLatch closedLatch = new CountDownLatch(1);
    volatile boolean closed;

    private <T> CompletionStage<T> unlessClosed(String what, Supplier<CompletionStage<T>> op) {
      if (closed) {
        refused.add(what);
        return CompletableFuture.failedStage(new StoreException("closed: " + what, null));
      }
      return op.get();
    }

    @Override
    public QueueStore queue(String queue) {
      QueueStore q = delegate.queue(queue);
      return new QueueStore() {
        @Override
        public String name() {
          return q.name();
        }

        @Override
        public CompletionStage<Void> add(List<StoredMessage> messages) {
          return unlessClosed("add", () -> q.add(messages));
        }

        @Override
        public CompletionStage<ClaimResult> claim(int max, long now, long leaseUntil) {
          return unlessClosed("claim", () -> q.claim(max, now, leaseUntil));
        }

        @Override
        public CompletionStage<SettleResult> settle(List<Settlement> settlements) {
          return unlessClosed("settle", () -> q.settle(settlements));
        }

        @Override
        public CompletionStage<List<StoredMessage>> expire(long sentBefore, int max) {
          return unlessClosed("expire", () -> q.expire(sentBefore, max));
        }

        @Override
        public CompletionStage<Integer> releaseHeld(long now) {
          return unlessClosed("releaseHeld", () -> q.releaseHeld(now));
        }

        @Override
        public CompletionStage<List<StoredMessage>> held(boolean remove) {
          return unlessClosed("held", () -> q.held(remove));
        }

        @Override
        public CompletionStage<Long> purge() {
          return unlessClosed("purge", q::purge);
        }

        @Override
        public QueueMetrics metrics() {
          return q.metrics();
        }
      };
    }

    @Override
    public Map<String, QueueMetrics> storedQueues() {
      return delegate.storedQueues();
    }

    @Override
    public boolean heapResident() {
      return true;
    }

    @Override
    public boolean durable() {
      return true;
    }

    @Override
    public void close() {
      closed = true;
      closedLatch.countDown();
    }
  }
}
