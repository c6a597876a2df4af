package io.queues4j.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.QueueMetrics;
import io.queues4j.spi.Claim;
import io.queues4j.spi.MessageStore;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.Settlement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of a durable {@link MessageStore}, beyond {@link MessageStoreContract}: what was
 * stored survives closing and reopening, and recovery makes the claims of the process that is gone
 * deliverable again, attempts kept. Subclasses open the same storage again in {@link #reopen()}.
 */
public abstract class DurableStoreContract extends MessageStoreContract {

  /** For subclasses. */
  protected DurableStoreContract() {}

  /**
   * Opens again the storage that the last {@link #openEmpty()} or {@link #reopen()} opened, as a
   * new process would after the previous one ended.
   *
   * @return the store, on the same storage
   * @throws Exception if it cannot be opened
   */
  protected abstract MessageStore reopen() throws Exception;

  /** Closes the current store and opens its storage again: a restart. */
  private void restart() throws Exception {
    store.close();
    store = reopen();
  }

  @Test
  void storedMessagesSurviveARestart() throws Exception {
    QueueStore q = store.queue("jobs");
    send(q, "a", "b");
    join(q.add(List.of(message("delayed", T0, T0 + 60_000))));
    restart();
    q = store.queue("jobs");
    assertThat(q.metrics()).isEqualTo(new QueueMetrics(3, 9, T0));
    assertThat(store.storedQueues()).containsOnlyKeys("jobs");
    assertThat(claimed(claim(q, 10, T0))).containsExactly("a", "b");
    assertThat(claim(q, 10, T0 + 59_999)).isEmpty();
    assertThat(claimed(claim(q, 10, T0 + 60_000))).containsExactly("delayed");
  }

  @Test
  void claimsOfAProcessThatIsGoneAreDeliveredAgainWithTheirAttempts() throws Exception {
    QueueStore q = store.queue("jobs");
    send(q, "in flight", "waiting");
    Claim inFlight = claim(q, 1, T0).get(0);
    assertThat(inFlight.message().attempts()).isEqualTo(1);
    restart(); // the process died while "in flight" was being handled
    q = store.queue("jobs");
    List<Claim> again = claim(q, 10, T0 + 1);
    assertThat(claimed(again)).containsExactlyInAnyOrder("in flight", "waiting");
    assertThat(find(again, "in flight").message().attempts())
        .as("the recovery redelivery counts").isEqualTo(2);
    assertThat(find(again, "waiting").message().attempts()).isEqualTo(1);
  }

  @Test
  void settlementsAndHeldDeadLettersSurviveARestart() throws Exception {
    QueueStore q = store.queue("jobs");
    QueueStore dlq = store.queue("jobs-dlq");
    send(q, "acked", "retried", "dead");
    List<Claim> c = claim(q, 3, T0);
    join(q.settle(List.of(new Settlement.Delete(c.get(0)),
        new Settlement.Retry(c.get(1), T0 + 30_000, true),
        new Settlement.MoveTo(c.get(2), dlq, T0, 100))));
    restart();
    q = store.queue("jobs");
    dlq = store.queue("jobs-dlq");
    assertThat(heldBodies(dlq)).containsExactly("dead");
    assertThat(claim(q, 10, T0 + 29_999)).isEmpty();
    Claim retried = claim(q, 10, T0 + 30_000).get(0);
    assertThat(retried.message().attempts()).isEqualTo(2);
    assertThat(q.metrics().backlogCount()).isEqualTo(1);
  }

  @Test
  void aStaleClaimFromBeforeTheRestartIsNotApplied() throws Exception {
    QueueStore q = store.queue("jobs");
    send(q, "a");
    Claim before = claim(q, 1, T0).get(0);
    restart();
    q = store.queue("jobs");
    Claim after = claim(q, 1, T0).get(0);
    assertThat(join(q.settle(List.of(new Settlement.Delete(before)))).stale())
        .containsExactly(before);
    assertThat(join(q.settle(List.of(new Settlement.Delete(after)))).stale()).isEmpty();
    assertThat(q.metrics()).isEqualTo(QueueMetrics.EMPTY);
  }
}
