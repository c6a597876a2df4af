package io.queues4j.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test fixture: a {@link QueueListener} that keeps, per queue and message id, how the message
 * ended and the highest attempt it was delivered with, to account for every message after a run.
 */
final class ReliabilityLedger implements QueueListener {
  /** The ends of a message on one queue; more than one is a bug. */
  private final Map<String, List<String>> ends = new ConcurrentHashMap<>();
  private final Map<String, Integer> maxAttempts = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> sentPerQueue = new ConcurrentHashMap<>();
  private final AtomicLong events = new AtomicLong();

  private static String key(String queue, String id) {
    return queue + '/' + id;
  }

  @Override
  public void onEvent(QueueEvent event) {
    events.incrementAndGet();
    if (event instanceof QueueEvent.Sent s) {
      sentPerQueue.computeIfAbsent(s.queue(), q -> new AtomicLong()).incrementAndGet();
    } else if (event instanceof QueueEvent.Delivered d) {
      for (int i = 0; i < d.messageIds().size(); i++) {
        maxAttempts.merge(key(d.queue(), d.messageIds().get(i)), d.attempts().get(i), Math::max);
      }
    } else if (event instanceof QueueEvent.Acked a) {
      end(a.queue(), a.messageId(), "acked");
    } else if (event instanceof QueueEvent.DeadLettered d) {
      end(d.queue(), d.messageId(), "dead-lettered");
    } else if (event instanceof QueueEvent.Dropped d) {
      end(d.queue(), d.messageId(), "dropped");
    } else if (event instanceof QueueEvent.Expired e) {
      end(e.queue(), e.messageId(), "expired");
    } else if (event instanceof QueueEvent.DeadLetterEvicted e) {
      end(e.queue(), e.messageId(), "evicted");
    }
  }

  private void end(String queue, String id, String how) {
    ends.computeIfAbsent(key(queue, id), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
        .add(how);
  }

  /** Messages that ended more than once on the same queue. */
  List<String> endedTwice() {
    List<String> twice = new ArrayList<>();
    ends.forEach((k, v) -> {
      if (v.size() > 1) {
        twice.add(k + " " + v);
      }
    });
    return twice;
  }

  /** Messages of {@code queue} that ended, by how. */
  long ended(String queue) {
    return ends.keySet().stream().filter(k -> k.startsWith(queue + '/')).count();
  }

  /** The highest attempt number any message was delivered with, on any queue. */
  int maxAttempts() {
    return maxAttempts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  /** Deliveries whose attempt number exceeds {@code limit}. */
  List<String> attemptsOver(int limit) {
    List<String> over = new ArrayList<>();
    maxAttempts.forEach((k, v) -> {
      if (v > limit) {
        over.add(k + " attempt " + v);
      }
    });
    return over;
  }

  long sent(String queue) {
    AtomicLong n = sentPerQueue.get(queue);
    return n == null ? 0 : n.get();
  }

  long events() {
    return events.get();
  }
}
