package io.queues4j.core;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A multiset of message timestamps that answers "oldest live timestamp" in O(1) (O(log n) after
 * out-of-order adds).
 *
 * <p>Sends arrive in (nearly) increasing timestamp order, so the index is a sorted run of
 * (timestamp, count) buckets kept in two parallel arrays: adding the newest timestamp is an append,
 * removing the oldest is a look at the head, removing any other is a binary search. Buckets that
 * drop to zero are skipped at the head and compacted away once they outnumber the live ones, so the
 * arrays stay proportional to the number of distinct live timestamps. A timestamp older than the
 * run's newest that the run does not hold (a dead letter keeping its original timestamp, a clock
 * that stepped back) goes to a tree beside the run instead, so every operation stays O(log n)
 * whatever the clock does.
 *
 * <p>Not thread-safe; guarded by the queue lock.
 */
final class TimestampIndex {
  private long[] stamps = new long[16];
  private int[] counts = new int[16];
  private int head;
  private int tail;
  private int liveBuckets;

  /** Out-of-order timestamps and their counts. */
  private final TreeMap<Long, int[]> late = new TreeMap<>();

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
    late.computeIfAbsent(timestamp, t -> new int[1])[0]++;
  }

  void remove(long timestamp) {
    // Messages mostly leave oldest first: try the head bucket before searching.
    int i = head < tail && stamps[head] == timestamp
        ? head : Arrays.binarySearch(stamps, head, tail, timestamp);
    if (i < 0 || counts[i] == 0) {
      int[] count = late.get(timestamp);
      if (count == null) {
        throw new IllegalStateException("timestamp " + timestamp + " is not in the index");
      }
      if (--count[0] == 0) {
        late.remove(timestamp);
      }
      return;
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

  /** Returns the oldest timestamp, or {@link Long#MAX_VALUE} when empty. */
  long oldest() {
    long oldest = head < tail ? stamps[head] : Long.MAX_VALUE;
    Map.Entry<Long, int[]> first = late.firstEntry();
    return first == null ? oldest : Math.min(oldest, first.getKey());
  }

  /** The number of buckets in the sorted run, live or not (for tests of its growth). */
  int runLength() {
    return tail - head;
  }

  boolean isEmpty() {
    return liveBuckets == 0 && late.isEmpty();
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
