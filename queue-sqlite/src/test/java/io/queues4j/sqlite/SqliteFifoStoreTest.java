package io.queues4j.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.QueueContentType;
import io.queues4j.spi.Claim;
import io.queues4j.spi.ClaimResult;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.Settlement;
import io.queues4j.spi.StoreException;
import io.queues4j.spi.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What this store does with FIFO queues beyond the contract: dead letters, misuse. */
class SqliteFifoStoreTest {
  private static final long T0 = 1_767_225_600_000L;
  private static final long LEASE = T0 + 3_600_000;

  private final AtomicLong ids = new AtomicLong(1);
  private final SqliteStore store = SqliteStore.open(TempDatabases.fresh("fifo-store"));

  @AfterEach
  void close() {
    store.close();
  }

  private StoredMessage message(String group, String body) {
    return StoredMessage.of(0xdef, ids.getAndIncrement(), T0,
        body.getBytes(StandardCharsets.UTF_8), QueueContentType.TEXT, T0, 0, group, "k:" + body);
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  private static List<String> bodies(ClaimResult r) {
    List<String> bodies = new ArrayList<>();
    for (Claim c : r.claims()) {
      bodies.add(new String(c.message().body(), StandardCharsets.UTF_8));
    }
    return bodies;
  }

  @Test
  void heldDeadLettersKeepTheirGroupAndTheirPlaceInItWhenReleased() {
    QueueStore source = store.queue("pay.fifo");
    QueueStore dlq = store.queue("pay-dlq.fifo");
    join(source.addDeduplicated(List.of(message("a", "a1")), T0, 60_000));
    Claim a1 = join(source.claimGroup(1, T0, LEASE)).claims().get(0);
    join(source.settle(List.of(new Settlement.MoveTo(a1, dlq, T0, 10))));
    join(dlq.addDeduplicated(List.of(message("a", "a2")), T0, 60_000)); // after the dead letter
    assertThat(join(dlq.held(false))).extracting(StoredMessage::groupId).containsExactly("a");
    ClaimResult waiting = join(dlq.claimGroup(10, T0, LEASE));
    assertThat(bodies(waiting)).as("the held letter is not claimable").containsExactly("a2");
    join(dlq.settle(List.of(new Settlement.Retry(waiting.claims().get(0), T0, false))));
    assertThat(join(dlq.releaseHeld(T0))).isEqualTo(1);
    assertThat(bodies(join(dlq.claimGroup(10, T0, LEASE)))).as("released: first in its group")
        .containsExactly("a1", "a2");
  }

  @Test
  void claimOnAFifoQueueClaimsByGroup() {
    QueueStore q = store.queue("jobs.fifo");
    join(q.addDeduplicated(List.of(message("a", "a1"), message("b", "b1"), message("a", "a2")),
        T0, 60_000));
    assertThat(bodies(join(q.claim(10, T0, LEASE)))).containsExactly("a1", "a2");
  }

  @Test
  void aStandardQueueRefusesFifoCallsAndAFifoOneMessagesWithoutGroup() {
    QueueStore plain = store.queue("jobs");
    assertThat(plain.supportsFifo()).isFalse();
    assertThatThrownBy(() -> join(plain.claimGroup(1, T0, LEASE)))
        .hasCauseInstanceOf(StoreException.class).hasMessageContaining("not a FIFO queue");
    assertThatThrownBy(() -> join(plain.addDeduplicated(List.of(message("a", "x")), T0, 1)))
        .hasCauseInstanceOf(StoreException.class).hasMessageContaining("jobs");
    QueueStore fifo = store.queue("jobs.fifo");
    StoredMessage ungrouped =
        StoredMessage.of(1, 2, T0, new byte[] {'x'}, QueueContentType.TEXT, T0, 0);
    assertThatThrownBy(() -> fifo.addDeduplicated(List.of(ungrouped), T0, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no group");
    assertThat(fifo.metrics().backlogCount()).isZero();
  }
}
