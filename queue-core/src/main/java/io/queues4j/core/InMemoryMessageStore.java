package io.queues4j.core;

import io.queues4j.QueueMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory {@link MessageStore}: a FIFO deque of ready messages, a binary heap of delayed ones
 * (O(log n) to add and to release when due, no timer per message), a FIFO of held dead letters, and
 * running totals for the metrics. Nothing survives the JVM.
 */
final class InMemoryMessageStore implements MessageStore {
  private final ArrayDeque<StoredMessage> ready = new ArrayDeque<>();
  private final PriorityQueue<StoredMessage> delayed =
      new PriorityQueue<>(StoredMessage::compareByVisibility);
  private final ArrayDeque<StoredMessage> held = new ArrayDeque<>();
  private final TimestampIndex timestamps = new TimestampIndex();
  private long count;
  private long bytes;

  @Override
  public void add(StoredMessage message, long now) {
    account(message);
    enqueue(message, now);
  }

  /** Counts a message into the metrics; {@link #remove} counts it out. */
  private void account(StoredMessage message) {
    count++;
    bytes += message.size();
    timestamps.add(message.timestamp);
  }

  private void enqueue(StoredMessage message, long now) {
    if (message.visibleAt <= now) {
      ready.addLast(message);
    } else {
      delayed.add(message);
    }
  }

  @Override
  public void promoteDue(long now, int max) {
    StoredMessage next;
    for (int i = 0; i < max && (next = delayed.peek()) != null && next.visibleAt <= now; i++) {
      ready.addLast(delayed.poll());
    }
  }

  @Override
  public int readyCount() {
    return ready.size();
  }

  @Override
  public long oldestReadyAt() {
    StoredMessage first = ready.peekFirst();
    return first == null ? Long.MAX_VALUE : first.visibleAt;
  }

  @Override
  public long nextDueAt() {
    StoredMessage next = delayed.peek();
    return next == null ? Long.MAX_VALUE : next.visibleAt;
  }

  @Override
  public void claim(int max, List<StoredMessage> into) {
    for (int i = 0; i < max; i++) {
      StoredMessage message = ready.pollFirst();
      if (message == null) {
        return;
      }
      message.deliveries++;
      into.add(message);
    }
  }

  @Override
  public void release(StoredMessage message, long visibleAt, long now) {
    message.visibleAt = visibleAt;
    enqueue(message, now);
  }

  @Override
  public void remove(StoredMessage message) {
    count--;
    bytes -= message.size();
    timestamps.remove(message.timestamp);
  }

  @Override
  public @Nullable StoredMessage hold(StoredMessage message, int capacity) {
    account(message);
    held.addLast(message);
    if (held.size() <= capacity) {
      return null;
    }
    StoredMessage evicted = held.removeFirst();
    remove(evicted);
    return evicted;
  }

  @Override
  public List<StoredMessage> held() {
    return new ArrayList<>(held);
  }

  @Override
  public List<StoredMessage> drainHeld() {
    List<StoredMessage> drained = new ArrayList<>(held);
    held.clear();
    for (StoredMessage message : drained) {
      remove(message);
    }
    return drained;
  }

  @Override
  public void releaseHeld(long now) {
    StoredMessage message;
    while ((message = held.pollFirst()) != null) {
      message.visibleAt = now;
      ready.addLast(message);
    }
  }

  @Override
  public void removeExpired(long cutoff, List<StoredMessage> into) {
    int from = into.size();
    ready.removeIf(m -> m.timestamp < cutoff && into.add(m));
    held.removeIf(m -> m.timestamp < cutoff && into.add(m));
    delayed.removeIf(m -> m.timestamp < cutoff && into.add(m));
    for (int i = from; i < into.size(); i++) {
      remove(into.get(i));
    }
  }

  @Override
  public long oldestTimestamp() {
    return timestamps.oldest();
  }

  @Override
  public QueueMetrics metrics() {
    return count == 0 ? QueueMetrics.EMPTY : new QueueMetrics(count, bytes, timestamps.oldest());
  }
}
