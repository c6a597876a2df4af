package io.queues4j.core;

import java.util.Arrays;

/**
 * A multiset of message timestamps that answers "oldest live timestamp" in O(1).
 *
 * <p>Sends arrive in (nearly) increasing timestamp order, so the index is a sorted run of
 * (timestamp, count) buckets kept in two parallel arrays: adding the newest timestamp is an append,
 * removing any timestamp is a binary search. Buckets that drop to zero are skipped at the head and
 * compacted away once they outnumber the live ones, so the arrays stay proportional to the number
 * of distinct live timestamps. An out-of-order add (a dead letter keeping its original timestamp, a
 * clock that stepped back) shifts the tail: O(buckets), and rare.
 *
 * <p>Not thread-safe; guarded by the queue lock.
 */
final class TimestampIndex {
  private long[] stamps = new long[16];
  private int[] counts = new int[16];
  private int head;
  private int tail;
  private int liveBuckets;

  void add(long timestamp) {
    if (tail > head && stamps[tail - 1] == timestamp) {
      if (counts[tail - 1]++ == 0) {
        liveBuckets++;
      }
      return;
    }
    if (tail == head || stamps[tail - 1] < timestamp) {
      ensureRoom();
      stamps[tail] = timestamp;
      counts[tail] = 1;
      tail++;
      liveBuckets++;
      return;
    }
    int i = Arrays.binarySearch(stamps, head, tail, timestamp);
    if (i >= 0) {
      if (counts[i]++ == 0) {
        liveBuckets++;
      }
      return;
    }
    int at = -i - 1;
    if (at == head && head > 0) {
      head--;
      stamps[head] = timestamp;
      counts[head] = 1;
      liveBuckets++;
      return;
    }
    ensureRoom(); // may compact: find the insertion point again
    at = -Arrays.binarySearch(stamps, head, tail, timestamp) - 1;
    System.arraycopy(stamps, at, stamps, at + 1, tail - at);
    System.arraycopy(counts, at, counts, at + 1, tail - at);
    stamps[at] = timestamp;
    counts[at] = 1;
    tail++;
    liveBuckets++;
  }

  void remove(long timestamp) {
    int i = Arrays.binarySearch(stamps, head, tail, timestamp);
    if (i < 0 || counts[i] == 0) {
      throw new IllegalStateException("timestamp " + timestamp + " is not in the index");
    }
    if (--counts[i] == 0) {
      liveBuckets--;
      while (head < tail && counts[head] == 0) {
        head++;
      }
      if (head == tail) {
        head = 0;
        tail = 0;
      } else if (tail - head > 2 * liveBuckets + 16) {
        compact();
      }
    }
  }

  /** Returns the oldest timestamp, or 0 when empty. */
  long oldest() {
    return head < tail ? stamps[head] : 0;
  }

  boolean isEmpty() {
    return liveBuckets == 0;
  }

  private void ensureRoom() {
    if (tail < stamps.length) {
      return;
    }
    if (head > 0 || tail - head > 2 * liveBuckets) {
      compact();
      if (tail < stamps.length) {
        return;
      }
    }
    int capacity = stamps.length * 2;
    stamps = Arrays.copyOf(stamps, capacity);
    counts = Arrays.copyOf(counts, capacity);
  }

  private void compact() {
    int to = 0;
    for (int from = head; from < tail; from++) {
      if (counts[from] != 0) {
        stamps[to] = stamps[from];
        counts[to] = counts[from];
        to++;
      }
    }
    head = 0;
    tail = to;
    if (stamps.length > 64 && tail * 4 < stamps.length) {
      int capacity = Math.max(16, tail * 2);
      stamps = Arrays.copyOf(stamps, capacity);
      counts = Arrays.copyOf(counts, capacity);
    }
  }
}
