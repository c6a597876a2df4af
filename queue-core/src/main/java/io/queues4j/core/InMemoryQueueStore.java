package io.queues4j.core;

import io.queues4j.QueueContentType;
import io.queues4j.QueueMetrics;
import io.queues4j.spi.Claim;
import io.queues4j.spi.ClaimResult;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.SettleResult;
import io.queues4j.spi.Settlement;
import io.queues4j.spi.StoredMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One queue of the {@link InMemoryStore}: waiting messages in a deque sorted by visibility (O(1):
 * messages usually arrive in that order) and, for those that arrive out of that order (a delay, a
 * retry), a binary heap (O(log n), no timer per message); a claim takes the older of the two
 * heads. Beside them a FIFO of held dead letters and running totals for the metrics. A claimed
 * message is in none of them: its claim carries its node ({@link Claim#handle()}), so settling
 * looks nothing up.
 *
 * <p>Thread-safe: one lock, held only for this bookkeeping (a FIFO queue's deduplication records
 * have their own, taken before it and released before the store's is taken). Every operation is
 * done when it returns, with a completed {@link CompletableFuture} the engine takes in at once. A
 * dead-letter move takes the source's lock, then, after releasing it, the target's: never two at
 * once.
 */
final class InMemoryQueueStore implements QueueStore {

  private final String name;
  private final ReentrantLock lock = new ReentrantLock();
  /** A FIFO queue (its name ends in {@code .fifo}): its messages wait by group, not in order. */
  private final boolean fifo;
  private final @Nullable FifoGroups<Node> groups;
  /** A FIFO queue's deduplication records: group and key to the original message's id. */
  private final @Nullable DedupWindow dedup;

  // guarded by lock
  private final ArrayDeque<Node> ready = new ArrayDeque<>();
  private final PriorityQueue<Node> delayed = new PriorityQueue<>(Node::compareByVisibility);
  private final ArrayDeque<Node> held = new ArrayDeque<>();
  private final TimestampIndex timestamps = new TimestampIndex();
  private long count;
  private long bytes;
  /**
   * The metrics as of the last change, published under the lock so that {@link #metrics()}, which
   * the engine calls under its own lock several times per send, takes no lock.
   */
  private volatile QueueMetrics metrics = QueueMetrics.EMPTY;
  private long nextKey;
  private long nextLease;

  InMemoryQueueStore(String name) {
    this(name, MAX_DEDUP_RECORDS);
  }

  InMemoryQueueStore(String name, int dedupCapacity) {
    this.name = name;
    this.fifo = name.endsWith(".fifo");
    this.groups = fifo ? new FifoGroups<>() : null;
    this.dedup = fifo ? new DedupWindow(dedupCapacity) : null;
  }

  /** The most deduplication records one FIFO queue keeps; beyond it the oldest go first. */
  static final int MAX_DEDUP_RECORDS = 100_000;

  @Override
  public boolean supportsFifo() {
    return fifo;
  }

  @Override
  public CompletionStage<List<String>> addDeduplicated(
      List<StoredMessage> messages, long now, long windowMillis) {
    DedupWindow records = dedup;
    if (records == null) {
      return CompletableFuture.failedStage(new io.queues4j.spi.StoreException(
          "queue '" + name + "' is not a FIFO queue", null));
    }
    // The records have their own lock: a send takes the store's only to enqueue what is new.
    @Nullable String[] originals = records.putAllIfAbsent(messages, now, windowMillis);
    List<String> ids = new ArrayList<>(messages.size());
    for (int i = 0; i < originals.length; i++) {
      String original = originals[i];
      ids.add(original != null ? original : messages.get(i).id());
    }
    SpinThenPark.lock(lock); // a producer's thread
    try {
      for (int i = 0; i < originals.length; i++) {
        if (originals[i] == null) {
          Node node = new Node(this, messages.get(i), nextKey++, true);
          account(node);
          enqueue(node);
        }
      }
      publish();
      return CompletableFuture.completedFuture(ids);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public CompletionStage<ClaimResult> claimGroup(int max, long now, long leaseUntil) {
    return claimGroups(1, max, now, leaseUntil);
  }

  @Override
  public CompletionStage<ClaimResult> claimGroups(
      int maxGroups, int maxPerGroup, long now, long leaseUntil) {
    FifoGroups<Node> g = groups;
    if (g == null) {
      return CompletableFuture.failedStage(new io.queues4j.spi.StoreException(
          "queue '" + name + "' is not a FIFO queue", null));
    }
    lock.lock();
    try {
      List<Claim> claims = new ArrayList<>((int) Math.min((long) maxGroups * maxPerGroup, 64));
      for (int group = 0; group < maxGroups; group++) {
        List<Node> nodes = g.claim(now, maxPerGroup);
        if (nodes.isEmpty()) {
          break;
        }
        for (Node node : nodes) {
          claims.add(claim(node));
        }
      }
      return CompletableFuture.completedFuture(new ClaimResult(claims, g.nextVisibleAt()));
    } finally {
      lock.unlock();
    }
  }

  /** A stored message with its mutable delivery state; about 80 bytes beside the body. */
  private static final class Node {
    final InMemoryQueueStore owner;
    final long idHigh;
    final long idLow;
    final long timestamp;
    final byte[] body;
    final QueueContentType contentType;
    final long key;
    final @Nullable String group;
    final @Nullable String dedupeKey;
    long visibleAt;
    int attempts;
    long lease;
    /** Claimed by the claim of {@link #lease}, not yet settled. */
    boolean claimed;

    Node(InMemoryQueueStore owner, StoredMessage m, long key, boolean fifo) {
      this.owner = owner;
      this.idHigh = m.idHigh();
      this.idLow = m.idLow();
      this.timestamp = m.timestamp();
      this.body = m.body();
      this.contentType = m.contentType();
      this.key = key;
      this.visibleAt = m.visibleAt();
      this.attempts = m.attempts();
      this.group = fifo ? m.groupId() : null; // a standard queue's messages have no group
      this.dedupeKey = fifo ? m.dedupeKey() : null;
    }

    StoredMessage message() {
      String g = group;
      String d = dedupeKey;
      return g != null && d != null
          ? StoredMessage.of(idHigh, idLow, timestamp, body, contentType, visibleAt, attempts, g, d)
          : StoredMessage.of(idHigh, idLow, timestamp, body, contentType, visibleAt, attempts);
    }

    @Override
    public String toString() { // a claim's handle, in a log line about a stale settlement
      return "message " + StoredMessage.idText(idHigh, idLow) + " (key " + key + ") of " + owner;
    }

    /** Orders delayed messages by due time, then by arrival. */
    static int compareByVisibility(Node a, Node b) {
      int c = Long.compare(a.visibleAt, b.visibleAt);
      return c != 0 ? c : Long.compare(a.key, b.key);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletionStage<Void> add(List<StoredMessage> messages) {
    SpinThenPark.lock(lock); // a producer's thread
    try {
      for (StoredMessage m : messages) {
        Node node = new Node(this, m, nextKey++, fifo);
        account(node);
        enqueue(node);
      }
      publish();
    } finally {
      lock.unlock();
    }
    return CompletableFuture.completedFuture(null);
  }

  private void account(Node node) {
    count++;
    bytes += node.body.length;
    timestamps.add(node.timestamp);
  }

  private void unaccount(Node node) {
    count--;
    bytes -= node.body.length;
    timestamps.remove(node.timestamp);
  }

  /** Publishes the totals after a change; under the lock, once per operation. */
  private void publish() {
    metrics = count == 0 ? QueueMetrics.EMPTY : new QueueMetrics(count, bytes, timestamps.oldest());
  }

  /**
   * Puts a waiting message at the back of the deque if that keeps it sorted, else in the heap; a
   * FIFO queue's message in its group.
   */
  private void enqueue(Node node) {
    if (groups != null && node.group != null) {
      groups.add(node.group, node.key, node, node.visibleAt);
      return;
    }
    Node last = ready.peekLast();
    if (last == null || last.visibleAt <= node.visibleAt) {
      ready.addLast(node);
    } else {
      delayed.add(node);
    }
  }

  @Override
  public CompletionStage<ClaimResult> claim(int max, long now, long leaseUntil) {
    lock.lock();
    try {
      List<Claim> claims = new ArrayList<>((int) Math.min(max, Math.min(count, 256)));
      Node next;
      while (claims.size() < max && (next = nextReady(now)) != null) {
        claims.add(claim(next));
      }
      return CompletableFuture.completedFuture(new ClaimResult(claims, nextVisibleAt()));
    } finally {
      lock.unlock();
    }
  }

  /** Claims a message just taken from waiting: its claim carries the node, for settling. */
  private Claim claim(Node node) {
    node.attempts++;
    node.lease = ++nextLease;
    node.claimed = true;
    return new Claim(node.message(), node.key, node.lease, node);
  }

  /** The node a claim of this store settles, or {@code null} if the claim is not current. */
  private @Nullable Node current(Claim claim) {
    return claim.handle() instanceof Node node && node.owner == this && node.claimed
        && node.lease == claim.lease() && node.key == claim.key() ? node : null;
  }

  /**
   * Takes the waiting message that became visible first at or before {@code now}: the head of the
   * ready deque or a due delayed message, whichever is older.
   */
  private @Nullable Node nextReady(long now) {
    Node first = ready.peekFirst();
    Node due = delayed.peek();
    if (due != null && due.visibleAt <= now && (first == null || due.visibleAt < first.visibleAt)) {
      return delayed.poll();
    }
    return first != null && first.visibleAt <= now ? ready.pollFirst() : null;
  }

  private long nextVisibleAt() {
    Node first = ready.peekFirst();
    Node due = delayed.peek();
    long next = first == null ? Long.MAX_VALUE : first.visibleAt;
    return due == null ? next : Math.min(next, due.visibleAt);
  }

  @Override
  public CompletionStage<SettleResult> settle(List<Settlement> settlements) {
    List<Claim> stale = null;
    List<Settlement.MoveTo> moves = null;
    lock.lock();
    try {
      for (Settlement s : settlements) {
        Claim claim = s.claim();
        Node node = current(claim); // no lookup: the claim carries its node
        if (node == null) { // settled or claimed again since: not this claim's to settle
          if (stale == null) {
            stale = new ArrayList<>();
          }
          stale.add(claim);
          continue;
        }
        node.claimed = false;
        if (s instanceof Settlement.Retry retry) {
          node.visibleAt = retry.visibleAt();
          if (!retry.countAttempt()) {
            node.attempts--;
          }
          enqueue(node); // behind every message visible before it; first again in its group
          groupSettled(node);
        } else {
          groupSettled(node);
          unaccount(node);
          if (s instanceof Settlement.MoveTo move) {
            if (moves == null) {
              moves = new ArrayList<>();
            }
            moves.add(move);
          }
        }
      }
      publish();
    } finally {
      lock.unlock();
    }
    List<SettleResult.Eviction> evicted = List.of();
    if (moves != null) {
      evicted = new ArrayList<>(0);
      for (Settlement.MoveTo move : moves) { // the source's lock is released: one lock at a time
        StoredMessage m = move.claim().message();
        StoredMessage copy = m.with(move.visibleAt(), 0);
        InMemoryQueueStore target = (InMemoryQueueStore) move.target();
        target.receiveDeadLetter(copy, move.holdCapacity(), evicted);
      }
    }
    if (stale == null && evicted.isEmpty()) {
      return CompletableFuture.completedFuture(SettleResult.APPLIED);
    }
    return CompletableFuture.completedFuture(
        new SettleResult(stale == null ? List.of() : stale, evicted));
  }

  private void groupSettled(Node node) {
    if (groups != null && node.group != null) {
      groups.settled(node.group);
    }
  }

  private void receiveDeadLetter(
      StoredMessage message, int holdCapacity, List<SettleResult.Eviction> evicted) {
    lock.lock();
    try {
      Node node = new Node(this, message, nextKey++, fifo);
      account(node);
      if (holdCapacity == 0) {
        enqueue(node);
      } else {
        held.addLast(node);
        while (held.size() > holdCapacity) {
          Node out = held.removeFirst();
          unaccount(out);
          evicted.add(new SettleResult.Eviction(this, out.message()));
        }
      }
      publish();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public CompletionStage<List<StoredMessage>> expire(long sentBefore, int max) {
    lock.lock();
    try {
      List<Node> out = new ArrayList<>();
      removeOlder(ready.iterator(), sentBefore, max, out);
      removeOlder(held.iterator(), sentBefore, max, out);
      removeOlder(delayed.iterator(), sentBefore, max, out);
      if (groups != null) {
        groups.removeWaiting(n -> n.timestamp < sentBefore, max, out);
      }
      out.sort((a, b) -> a.timestamp != b.timestamp
          ? Long.compare(a.timestamp, b.timestamp) : Long.compare(a.key, b.key));
      List<StoredMessage> expired = new ArrayList<>(out.size());
      for (Node node : out) {
        unaccount(node);
        expired.add(node.message());
      }
      publish();
      return CompletableFuture.completedFuture(expired);
    } finally {
      lock.unlock();
    }
  }

  private static void removeOlder(Iterator<Node> it, long sentBefore, int max, List<Node> into) {
    while (into.size() < max && it.hasNext()) {
      Node node = it.next();
      if (node.timestamp < sentBefore) {
        it.remove();
        into.add(node);
      }
    }
  }

  @Override
  public CompletionStage<Integer> releaseHeld(long now) {
    lock.lock();
    try {
      int released = held.size();
      Node node;
      while ((node = held.pollFirst()) != null) {
        node.visibleAt = now;
        enqueue(node);
      }
      return CompletableFuture.completedFuture(released);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public CompletionStage<List<StoredMessage>> held(boolean remove) {
    lock.lock();
    try {
      List<StoredMessage> letters = new ArrayList<>(held.size());
      for (Node node : held) {
        letters.add(node.message());
      }
      if (remove) {
        for (Node node : held) {
          unaccount(node);
        }
        held.clear();
        publish();
      }
      return CompletableFuture.completedFuture(letters);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public CompletionStage<Long> purge() {
    lock.lock();
    try {
      long purged = 0;
      for (ArrayDeque<Node> deque : List.of(ready, held)) {
        for (Node node : deque) {
          unaccount(node);
          purged++;
        }
        deque.clear();
      }
      for (Node node : delayed) {
        unaccount(node);
        purged++;
      }
      delayed.clear();
      if (groups != null) {
        List<Node> waiting = new ArrayList<>();
        groups.removeWaiting(n -> true, Integer.MAX_VALUE, waiting);
        for (Node node : waiting) {
          unaccount(node);
          purged++;
        }
      }
      publish();
      return CompletableFuture.completedFuture(purged);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public QueueMetrics metrics() {
    return metrics;
  }

  @Override
  public String toString() {
    return "in-memory queue '" + name + "'";
  }
}
