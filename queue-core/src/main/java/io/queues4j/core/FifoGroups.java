package io.queues4j.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The waiting messages of a FIFO queue, by group: each group's messages in send order (by key),
 * and a heap of the groups that may be claimed (no message claimed) by when their first message
 * becomes visible. A claim takes the first such group whose first message is visible and the
 * messages after it while they are visible; the group then waits until every claimed message is
 * settled. O(log n) per operation; heap entries that went stale are dropped when they surface.
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
    final String id;
    final TreeMap<Long, Entry<T>> waiting = new TreeMap<>();
    int claimed;

    Group(String id) {
      this.id = id;
    }
  }

  private record Entry<T>(T item, long visibleAt) {}

  /** A group's first waiting message as it was when pushed; stale once that changed. */
  private record Head<T>(Group<T> group, long key, long visibleAt) {}

  /** Adds a waiting message to its group. */
  void add(String group, long key, T item, long visibleAt) {
    Group<T> g = groups.computeIfAbsent(group, Group::new);
    g.waiting.put(key, new Entry<>(item, visibleAt));
    if (g.claimed == 0 && g.waiting.firstKey() == key) {
      heads.add(new Head<>(g, key, visibleAt));
    }
  }

  private boolean current(Head<T> h) {
    Group<T> g = h.group;
    if (g.claimed != 0 || g.waiting.isEmpty() || groups.get(g.id) != g) {
      return false;
    }
    Map.Entry<Long, Entry<T>> first = g.waiting.firstEntry();
    return first.getKey() == h.key && first.getValue().visibleAt == h.visibleAt;
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
      Iterator<Entry<T>> it = g.waiting.values().iterator();
      while (claimed.size() < max && it.hasNext()) {
        Entry<T> e = it.next();
        if (e.visibleAt > now) {
          break;
        }
        it.remove();
        claimed.add(e.item);
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
    } else {
      Map.Entry<Long, Entry<T>> first = g.waiting.firstEntry();
      heads.add(new Head<>(g, first.getKey(), first.getValue().visibleAt));
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
      @Nullable Long firstBefore = g.waiting.isEmpty() ? null : g.waiting.firstKey();
      for (Iterator<Entry<T>> it = g.waiting.values().iterator(); it.hasNext(); ) {
        if (into.size() >= max) {
          break;
        }
        Entry<T> e = it.next();
        if (remove.test(e.item)) {
          it.remove();
          into.add(e.item);
        }
      }
      if (g.waiting.isEmpty() && g.claimed == 0) {
        groupIt.remove();
      } else if (g.claimed == 0 && !g.waiting.isEmpty()
          && !Long.valueOf(g.waiting.firstKey()).equals(firstBefore)) {
        Map.Entry<Long, Entry<T>> first = g.waiting.firstEntry();
        heads.add(new Head<>(g, first.getKey(), first.getValue().visibleAt));
      }
    }
  }
}
