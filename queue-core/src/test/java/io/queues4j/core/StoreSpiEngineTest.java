package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.MessageSendRequest;
import io.queues4j.MessageTooLargeException;
import io.queues4j.QueueMetrics;
import io.queues4j.QueueSendBatchOptions;
import io.queues4j.QueueSendResult;
import io.queues4j.QueueStorageException;
import io.queues4j.StorageLimitExceededException;
import io.queues4j.spi.ClaimResult;
import io.queues4j.spi.MessageStore;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.SettleResult;
import io.queues4j.spi.Settlement;
import io.queues4j.spi.StoreException;
import io.queues4j.spi.StoredMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** How the engine uses a store: wake-ups from a shared store, encoding for outboxes, failures. */
class StoreSpiEngineTest {
  private static final ConsumerSettings NOW =
      ConsumerSettings.builder().maxBatchTimeout(Duration.ZERO).maxConcurrency(1).build();

  @Test
  void aSharedStoresWakeUpMakesTheEngineClaimWhatAnotherEngineAdded() {
    VirtualTime time = new VirtualTime();
    SpyStore store = new SpyStore();
    QueueEngine engine = QueueEngine.builder().clock(time).scheduler(time).executor(time)
        .store(store).build();
    engine.declareQueue("jobs");
    List<String> seen = new ArrayList<>();
    engine.consume("jobs", String.class, NOW, (batch, ctx) ->
        batch.messages().forEach(m -> seen.add(m.body())));
    time.runUntilIdle();

    // "another engine" stores a message behind this engine's back, then the store notifies
    List<StoredMessage> outside = engine.admin().encode("jobs",
        List.of(MessageSendRequest.of("from elsewhere")), QueueSendBatchOptions.DEFAULT);
    store.delegate.queue("jobs").add(outside);
    time.runUntilIdle();
    assertThat(seen).isEmpty(); // nothing tells the engine yet: the store is the source of truth
    Runnable wakeUp = store.subscribers.get(0);
    wakeUp.run();
    time.runUntilIdle();
    assertThat(seen).containsExactly("from elsewhere");
    engine.shutdown(Duration.ZERO);
  }

  @Test
  void encodeValidatesLikeASendAndSendsNothing() {
    try (QueueEngine engine = QueueEngine.builder().build()) {
      engine.declareQueue("jobs");
      List<StoredMessage> encoded = engine.admin().encode("jobs",
          List.of(MessageSendRequest.of("a"), MessageSendRequest.of("b")),
          QueueSendBatchOptions.delaySeconds(30));
      assertThat(encoded).hasSize(2);
      assertThat(encoded.get(0).id()).hasSize(32).isNotEqualTo(encoded.get(1).id());
      assertThat(encoded.get(0).visibleAt()).isEqualTo(encoded.get(0).timestamp() + 30_000);
      assertThat(engine.stats("jobs").metrics()).isEqualTo(QueueMetrics.EMPTY);
      assertThatThrownBy(() -> engine.admin().encode("jobs",
              List.of(MessageSendRequest.of("x".repeat(128_001))), QueueSendBatchOptions.DEFAULT))
          .isInstanceOf(MessageTooLargeException.class);
    }
  }

  @Test
  void aSendTheStoreFailsFailsWithAStorageExceptionAndChangesNothing() {
    SpyStore store = new SpyStore();
    try (QueueEngine engine = QueueEngine.builder().store(store).build()) {
      engine.declareQueue("jobs");
      store.failAdds.set(true);
      Throwable failure = EngineFixture.failure(engine.<String>queue("jobs").send("x"));
      assertThat(failure)
          .isInstanceOf(QueueStorageException.class)
          .hasMessageContaining("queue 'jobs'")
          .hasMessageContaining("disk full")
          .hasCauseInstanceOf(StoreException.class);
      assertThat(engine.stats("jobs").failedSends()).isEqualTo(1);
      assertThat(engine.stats("jobs").sent()).isZero();
      store.failAdds.set(false);
      assertThat(engine.<String>queue("jobs").send("y")).isCompleted();
      assertThat(engine.stats("jobs").metrics().backlogCount()).isEqualTo(1);
    }
  }

  @Test
  void sendsTheStoreHasNotConfirmedCountAgainstLimitsTheQueueGainsMeanwhile() {
    SpyStore store = new SpyStore();
    try (QueueEngine engine = QueueEngine.builder().store(store).build()) {
      engine.declareQueue("jobs"); // no limit of its own: sends reserve without the queue's lock
      store.holdAdds.set(true);
      List<CompletableFuture<QueueSendResult>> held = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        held.add(engine.<String>queue("jobs").send("held " + i));
      }
      assertThat(held).noneMatch(CompletableFuture::isDone);
      assertThat(store.held).hasSize(3);

      engine.admin().update("jobs", QueueSettings.builder().maxBacklogMessages(3).build());
      assertThat(EngineFixture.failure(engine.<String>queue("jobs").send("one too many")))
          .as("3 sends on their way to the store count against the new limit of 3")
          .isInstanceOf(StorageLimitExceededException.class);

      store.holdAdds.set(false);
      store.held.forEach(Runnable::run);
      assertThat(held).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
      assertThat(engine.stats("jobs").sent()).isEqualTo(3);
      assertThat(engine.stats("jobs").metrics().backlogCount()).isEqualTo(3);
    }
  }

  /** An in-memory store that records subscriptions and can fail or hold its adds. */
  private static final class SpyStore implements MessageStore {
    final InMemoryStore delegate = InMemoryStore.create();
    final List<Runnable> subscribers = new ArrayList<>();
    final AtomicBoolean failAdds = new AtomicBoolean();
    final AtomicBoolean holdAdds = new AtomicBoolean();
    /** Adds held back, each to be run to complete its stage. */
    final List<Runnable> held = new java.util.concurrent.CopyOnWriteArrayList<>();

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
          if (failAdds.get()) {
            return CompletableFuture.failedStage(new StoreException("disk full", null));
          }
          if (holdAdds.get()) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            held.add(() -> q.add(messages).whenComplete((ok, e) -> done.complete(null)));
            return done;
          }
          return q.add(messages);
        }

        @Override
        public CompletionStage<ClaimResult> claim(int max, long now, long leaseUntil) {
          return q.claim(max, now, leaseUntil);
        }

        @Override
        public CompletionStage<SettleResult> settle(List<Settlement> settlements) {
          return q.settle(settlements);
        }

        @Override
        public CompletionStage<List<StoredMessage>> expire(long sentBefore, int max) {
          return q.expire(sentBefore, max);
        }

        @Override
        public CompletionStage<Integer> releaseHeld(long now) {
          return q.releaseHeld(now);
        }

        @Override
        public CompletionStage<List<StoredMessage>> held(boolean remove) {
          return q.held(remove);
        }

        @Override
        public CompletionStage<Long> purge() {
          return q.purge();
        }

        @Override
        public void subscribe(Runnable mayHaveReady) {
          subscribers.add(mayHaveReady);
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
      return false;
    }

    @Override
    public void close() {
      delegate.close();
    }

    @Override
    public String toString() {
      return "spy store";
    }
  }
}
