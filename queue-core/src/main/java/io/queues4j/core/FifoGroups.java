package io.queues4j.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The waiting messages of a FIFO queue, by group: each group's messages in send order (by key),
 * and a heap of the groups that may be claimed (no message claimed) by when their first message
 * becomes visible. A claim takes the first such group whose first message is visible and the
 * messages after it while they are visible; the group then waits until every claimed message is
 * settled. O(log n) per operation (the heap; a group's run is an array its messages are mostly
 * appended to and claimed from the front of); heap entries that went stale are dropped when they
 * surface.
 *
 * <p>Not thread-safe: used under the owning store's lock.
 *
 * @param <T> what is kept per message
 */
final class FifoGroups<T> {
  private final Map<String, Group<T>> groups = new HashMap<>();
  private final PriorityQueue<Head<T>> heads =
      new PriorityQueue<>((a, b) -> a.visibleAt != b.visibleAt
          ? Long.compare(a.visibleAt, b.visibleAt) : Long.compare(a.key, b.key));

  private static final class Group<T> {
    final Run<T> waiting = new Run<>();
    int claimed;
    /** Set once it left the map: its heap entries are stale (a group of that id may be new). */
    boolean removed;
  }

  /**
   * A group's waiting messages sorted by key, in arrays: a message usually arrives with a key
   * greater than all (appended), leaves from the front (claimed), and only a retried one goes back
   * in before the others (a few at most: the group's claimed run).
   */
  private static final class Run<T> {
    private long[] keys = new long[4];
    private long[] visibleAts = new long[4];
    private @Nullable Object[] items = new Object[4];
    private int start;
    private int size;

    boolean isEmpty() {
      return size == 0;
    }

    int size() {
      return size;
    }

    long key(int i) {
      return keys[start + i];
    }

    long visibleAt(int i) {
      return visibleAts[start + i];
    }

    @SuppressWarnings("unchecked")
    T item(int i) {
      return (T) requireNonNull(items[start + i]);
    }

    void add(long key, T item, long visibleAt) {
      if (start + size == keys.length) {
        makeRoom();
      }
      int at = start + size; // where it goes: after every smaller key
      while (at > start && keys[at - 1] > key) {
        at--;
      }
      int end = start + size;
      System.arraycopy(keys, at, keys, at + 1, end - at);
      System.arraycopy(visibleAts, at, visibleAts, at + 1, end - at);
      System.arraycopy(items, at, items, at + 1, end - at);
      keys[at] = key;
      visibleAts[at] = visibleAt;
      items[at] = item;
      size++;
    }

    /** Moves the run to the front, and doubles the arrays if it fills more than half of them. */
    private void makeRoom() {
      boolean grow = size * 2 > keys.length;
      int length = grow ? keys.length * 2 : keys.length;
      long[] k = grow ? new long[length] : keys;
      long[] v = grow ? new long[length] : visibleAts;
      @Nullable Object[] it = grow ? new Object[length] : items;
      System.arraycopy(keys, start, k, 0, size);
      System.arraycopy(visibleAts, start, v, 0, size);
      System.arraycopy(items, start, it, 0, size);
      if (!grow) { // moved within the same arrays: drop the references left behind
        java.util.Arrays.fill(items, size, start + size, null);
      }
      keys = k;
      visibleAts = v;
      items = it;
      start = 0;
    }

    void removeFirst() {
      items[start] = null;
      start++;
      size--;
      if (size == 0) {
        start = 0;
      }
    }

    /** Removes the message at {@code i}. */
    void remove(int i) {
      int at = start + i;
      int end = start + size;
      System.arraycopy(keys, at + 1, keys, at, end - at - 1);
      System.arraycopy(visibleAts, at + 1, visibleAts, at, end - at - 1);
      System.arraycopy(items, at + 1, items, at, end - at - 1);
      items[end - 1] = null;
      size--;
    }
  }

  /** A group's first waiting message as it was when pushed; stale once that changed. */
  private record Head<T>(Group<T> group, long key, long visibleAt) {}

  /** Adds a waiting message to its group. */
  void add(String group, long key, T item, long visibleAt) {
    Group<T> g = groups.computeIfAbsent(group, id -> new Group<>());
    g.waiting.add(key, item, visibleAt);
    if (g.claimed == 0 && g.waiting.key(0) == key) {
      heads.add(new Head<>(g, key, visibleAt));
    }
  }

  private boolean current(Head<T> h) {
    Group<T> g = h.group;
    if (g.claimed != 0 || g.waiting.isEmpty() || g.removed) {
      return false;
    }
    return g.waiting.key(0) == h.key && g.waiting.visibleAt(0) == h.visibleAt;
  }

  /**
   * Claims up to {@code max} messages of one group: see the class description.
   *
   * @return the claimed messages, in order; empty if no group is ready
   */
  List<T> claim(long now, int max) {
    Head<T> h;
    while ((h = heads.peek()) != null) {
      if (!current(h)) {
        heads.poll();
        continue;
      }
      if (h.visibleAt > now) {
        return List.of();
      }
      heads.poll();
      Group<T> g = h.group;
      List<T> claimed = new ArrayList<>(Math.min(max, g.waiting.size()));
      while (claimed.size() < max && !g.waiting.isEmpty() && g.waiting.visibleAt(0) <= now) {
        claimed.add(g.waiting.item(0));
        g.waiting.removeFirst();
      }
      g.claimed += claimed.size();
      return claimed;
    }
    return List.of();
  }

  /** One claimed message of {@code group} was settled (after any re-{@link #add} of it). */
  void settled(String group) {
    Group<T> g = groups.get(group);
    if (g == null || --g.claimed > 0) {
      return;
    }
    if (g.waiting.isEmpty()) {
      groups.remove(group);
      g.removed = true;
    } else {
      heads.add(new Head<>(g, g.waiting.key(0), g.waiting.visibleAt(0)));
    }
  }

  /** When the first message of a group that may be claimed becomes visible, or MAX_VALUE. */
  long nextVisibleAt() {
    Head<T> h;
    while ((h = heads.peek()) != null && !current(h)) {
      heads.poll();
    }
    return h == null ? Long.MAX_VALUE : h.visibleAt;
  }

  /**
   * Removes up to {@code max} waiting messages matching {@code remove}, adding them to {@code
   * into}; a group's new first message becomes claimable.
   */
  void removeWaiting(Predicate<T> remove, int max, List<T> into) {
    for (Iterator<Group<T>> groupIt = groups.values().iterator(); groupIt.hasNext(); ) {
      Group<T> g = groupIt.next();
      Run<T> run = g.waiting;
      long firstBefore = run.isEmpty() ? Long.MIN_VALUE : run.key(0);
      for (int i = 0; i < run.size() && into.size() < max; ) {
        T item = run.item(i);
        if (remove.test(item)) {
          run.remove(i);
          into.add(item);
        } else {
          i++;
        }
      }
      if (run.isEmpty() && g.claimed == 0) {
        groupIt.remove();
        g.removed = true;
      } else if (g.claimed == 0 && !run.isEmpty() && run.key(0) != firstBefore) {
        heads.add(new Head<>(g, run.key(0), run.visibleAt(0)));
      }
    }
  }
}
