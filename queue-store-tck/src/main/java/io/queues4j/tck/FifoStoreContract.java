package io.queues4j.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.QueueContentType;
import io.queues4j.QueueMetrics;
import io.queues4j.spi.Claim;
import io.queues4j.spi.ClaimResult;
import io.queues4j.spi.MessageStore;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.Settlement;
import io.queues4j.spi.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of a store's FIFO queues (names ending in {@code .fifo}), as {@link
 * QueueStore#addDeduplicated} and {@link QueueStore#claimGroup} state it: one group's messages at a
 * time, in order, the group held while any of them is claimed, a retried message first again;
 * deduplication per group within a window that outlives the message. Extend it with a factory of
 * fresh, empty stores that support FIFO queues.
 */
public abstract class FifoStoreContract {
  /** A fixed "now" for the tests: 2026-01-01T00:00:00Z. */
  protected static final long T0 = 1_767_225_600_000L;

  private static final long LEASE = T0 + 3_600_000;
  private static final long WINDOW = 300_000;

  private final AtomicLong ids = new AtomicLong(1);

  /** The store under test; opened before each test, closed after it. */
  protected MessageStore store;

  /** For subclasses. */
  protected FifoStoreContract() {}

  /**
   * Opens a store on fresh, empty storage.
   *
   * @return the store
   * @throws Exception if it cannot be opened
   */
  protected abstract MessageStore openEmpty() throws Exception;

  @BeforeEach
  final void openStore() throws Exception {
    store = openEmpty();
  }

  @AfterEach
  final void closeStore() {
    store.close();
  }

  private StoredMessage message(String group, String body, long at) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return StoredMessage.of(0xf1f0, ids.getAndIncrement(), at, bytes, QueueContentType.TEXT, at, 0,
        group, "body:" + body);
  }

  private StoredMessage keyed(String group, String body, String key, long at) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return StoredMessage.of(0xf1f0, ids.getAndIncrement(), at, bytes, QueueContentType.TEXT, at, 0,
        group, key);
  }

  private List<String> add(QueueStore q, long now, StoredMessage... messages) {
    return MessageStoreContract.join(q.addDeduplicated(List.of(messages), now, WINDOW));
  }

  private static ClaimResult claim(QueueStore q, int max, long now) {
    return MessageStoreContract.join(q.claimGroup(max, now, LEASE));
  }

  private static List<String> bodies(ClaimResult r) {
    return MessageStoreContract.claimed(r.claims());
  }

  private static void settle(QueueStore q, Settlement... settlements) {
    MessageStoreContract.join(q.settle(List.of(settlements)));
  }

  @Test
  void aFifoQueueSaysSoAndAStandardOneDoesNot() {
    assertThat(store.queue("jobs.fifo").supportsFifo()).isTrue();
  }

  @Test
  void aClaimTakesOneGroupsRunInOrderAndHoldsTheGroup() {
    QueueStore q = store.queue("jobs.fifo");
    add(q, T0, message("a", "a1", T0), message("b", "b1", T0), message("a", "a2", T0),
        message("a", "a3", T0));
    ClaimResult first = claim(q, 2, T0);
    assertThat(bodies(first)).containsExactly("a1", "a2");
    assertThat(first.claims()).allSatisfy(c -> assertThat(c.message().groupId()).isEqualTo("a"));
    assertThat(first.claims().get(0).key()).isLessThan(first.claims().get(1).key());
    assertThat(bodies(claim(q, 10, T0))).as("a is held: b next").containsExactly("b1");
    assertThat(claim(q, 10, T0).claims()).as("both groups held").isEmpty();
    settle(q, new Settlement.Delete(first.claims().get(0)));
    assertThat(claim(q, 10, T0).claims()).as("a2 still claimed").isEmpty();
    settle(q, new Settlement.Delete(first.claims().get(1)));
    assertThat(bodies(claim(q, 10, T0))).containsExactly("a3");
  }

  @Test
  void aRetriedMessageStaysFirstInItsGroupAndTheGroupWaitsForIt() {
    QueueStore q = store.queue("jobs.fifo");
    add(q, T0, message("a", "a1", T0), message("a", "a2", T0), message("b", "b1", T0));
    Claim a1 = claim(q, 1, T0).claims().get(0);
    settle(q, new Settlement.Retry(a1, T0 + 30_000, true));
    ClaimResult next = claim(q, 10, T0 + 1);
    assertThat(bodies(next)).as("a waits for its retried first message").containsExactly("b1");
    ClaimResult waiting = claim(q, 10, T0 + 1);
    assertThat(waiting.claims()).isEmpty();
    assertThat(waiting.nextVisibleAt()).isEqualTo(T0 + 30_000);
    ClaimResult again = claim(q, 10, T0 + 30_000);
    assertThat(bodies(again)).containsExactly("a1", "a2");
    assertThat(again.claims().get(0).message().attempts()).isEqualTo(2);
  }

  @Test
  void aDuplicateWithinTheWindowIsNotStoredAndNamesTheOriginal() {
    QueueStore q = store.queue("jobs.fifo");
    StoredMessage original = message("a", "pay", T0);
    assertThat(add(q, T0, original)).containsExactly(original.id());
    Claim c = claim(q, 1, T0).claims().get(0);
    settle(q, new Settlement.Delete(c)); // delivered and deleted: the record outlives it
    StoredMessage again = message("a", "pay", T0 + WINDOW - 1);
    StoredMessage otherGroup = message("b", "pay", T0 + 1);
    assertThat(add(q, T0 + WINDOW - 1, again, otherGroup))
        .containsExactly(original.id(), otherGroup.id());
    assertThat(q.metrics().backlogCount()).isEqualTo(1);
    StoredMessage later = message("a", "pay", T0 + WINDOW);
    assertThat(add(q, T0 + WINDOW, later)).as("the window has passed").containsExactly(later.id());
  }

  @Test
  void duplicatesInOneBatchAndExplicitKeysAreRecognized() {
    QueueStore q = store.queue("jobs.fifo");
    StoredMessage first = keyed("a", "charge 10", "order-7", T0);
    StoredMessage sameKey = keyed("a", "charge 11", "order-7", T0);
    StoredMessage otherKey = keyed("a", "charge 10", "order-8", T0);
    assertThat(add(q, T0, first, sameKey, otherKey))
        .containsExactly(first.id(), first.id(), otherKey.id());
    assertThat(q.metrics()).isEqualTo(new QueueMetrics(2, 18, T0));
  }

  @Test
  void expiryAndPurgeReachMessagesWaitingInGroups() {
    QueueStore q = store.queue("jobs.fifo");
    add(q, T0, message("a", "old", T0 - 10_000), message("a", "young", T0));
    assertThat(MessageStoreContract.bodies(MessageStoreContract.join(q.expire(T0 - 1, 10))))
        .containsExactly("old");
    assertThat(bodies(claim(q, 10, T0))).as("the group's next is claimable").containsExactly(
        "young");
    add(q, T0, message("c", "c1", T0), message("c", "c2", T0));
    assertThat(MessageStoreContract.join(q.purge())).isEqualTo(2);
  }

  @Test
  void manyGroupsAreEachClaimedInOrder() {
    QueueStore q = store.queue("jobs.fifo");
    List<StoredMessage> batch = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      batch.add(message("g" + (i % 5), "m" + i, T0));
    }
    MessageStoreContract.join(q.addDeduplicated(batch, T0, WINDOW));
    List<Claim> all = new ArrayList<>();
    for (int round = 0; round < 100; round++) {
      ClaimResult r = claim(q, 3, T0);
      for (Claim c : r.claims()) {
        all.add(c);
        settle(q, new Settlement.Delete(c));
      }
    }
    assertThat(all).hasSize(50);
    for (int g = 0; g < 5; g++) {
      String group = "g" + g;
      List<Long> keys = all.stream().filter(c -> group.equals(c.message().groupId()))
          .map(Claim::key).toList();
      assertThat(keys).as("group %s in send order", group).hasSize(10).isSorted();
    }
  }

  @Test
  void claimingSeveralGroupsTakesWholeRunsInTheOrderSingleClaimsWould() {
    QueueStore q = store.queue("jobs.fifo");
    add(q, T0, message("a", "a1", T0), message("b", "b1", T0), message("a", "a2", T0),
        message("c", "c1", T0), message("b", "b2", T0));
    List<List<String>> runs = List.of(List.of("a1", "a2"), List.of("b1", "b2"), List.of("c1"));
    ClaimResult several = MessageStoreContract.join(q.claimGroups(2, 10, T0, LEASE));
    List<String> got = bodies(several);
    // One group (the default, one claimGroup) or two; never a part of a group's run.
    assertThat(got).isIn(runs.get(0), concat(runs.get(0), runs.get(1)));
    int groupsClaimed = got.size() == 2 ? 1 : 2;
    assertThat(bodies(claim(q, 10, T0))).as("the claimed groups are held")
        .isEqualTo(runs.get(groupsClaimed));
    for (Claim c : several.claims()) {
      settle(q, new Settlement.Delete(c));
    }
    assertThat(bodies(MessageStoreContract.join(q.claimGroups(5, 10, T0, LEASE))))
        .as("what is neither settled nor held: c, unless the second claim took it")
        .isEqualTo(groupsClaimed == 1 ? List.of("c1") : List.of());
  }

  @Test
  void severalGroupsAreClaimedAtMostMaxPerGroupEach() {
    QueueStore q = store.queue("jobs.fifo");
    add(q, T0, message("a", "a1", T0), message("a", "a2", T0), message("b", "b1", T0),
        message("b", "b2", T0));
    assertThat(bodies(MessageStoreContract.join(q.claimGroups(2, 1, T0, LEASE))))
        .isIn(List.of("a1"), List.of("a1", "b1"));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
