package io.queues4j.core;

import static java.util.Objects.requireNonNull;

import java.util.Iterator;
import java.util.LinkedHashMap;
import io.queues4j.spi.StoredMessage;
import org.jspecify.annotations.Nullable;

/**
 * The deduplication records of one in-memory FIFO queue: group and deduplication key to the id of
 * the message first sent with them, each kept for the window it was written with (on the engine's
 * clock) and at most {@code capacity} at a time, the oldest written going first.
 *
 * <p>Why not a Caffeine cache: at its maximum size, Caffeine's W-TinyLFU admission keeps entries by
 * how often they are read, and a record read never (most dedup records) loses to those already
 * there. Filled with 1,000,000 keys, a cache of 100,000 holds only the last 1,000 of them (its
 * admission window), so a duplicate sent a few thousand messages later would be delivered again.
 * Deduplication needs the newest records kept, which insertion order gives in O(1).
 *
 * <p>Not thread-safe: used under the store's lock.
 */
final class DedupWindow {
  private final int capacity;
  /** In write order; a record written again moves to the end. */
  private final LinkedHashMap<Key, Entry> records = new LinkedHashMap<>();

  private record Key(String group, String dedupeKey) {}

  /** The original message's id, as {@link StoredMessage#idHigh()} and {@code idLow()}. */
  private record Entry(long idHigh, long idLow, long expiresAt) {}

  DedupWindow(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Records that {@code message} was sent at {@code now}, unless a message of its group with its
   * deduplication key was sent within that one's window: then returns that one's id, and records
   * nothing.
   *
   * @param message a message with a group and a deduplication key
   * @return the original's id text, or {@code null} if {@code message} is not a duplicate
   */
  @Nullable String putIfAbsent(StoredMessage message, long now, long windowMillis) {
    Key key = new Key(requireNonNull(message.groupId(), "groupId"),
        requireNonNull(message.dedupeKey(), "dedupeKey"));
    Entry entry = new Entry(message.idHigh(), message.idLow(),
        Durations.saturatedAdd(now, windowMillis));
    Entry original = records.putIfAbsent(key, entry); // one lookup in the common case
    if (original != null) {
      if (original.expiresAt() > now) {
        return StoredMessage.idText(original.idHigh(), original.idLow());
      }
      records.remove(key); // expired but not yet swept: the new record goes to the end
      records.put(key, entry);
    }
    expire(now);
    if (records.size() > capacity) {
      Iterator<Entry> oldest = records.values().iterator();
      oldest.next();
      oldest.remove();
    }
    return null;
  }

  /**
   * Removes expired records from the oldest on, up to the first live one. Records written with a
   * longer window, or before the clock stepped back, may shield later expired ones for a while;
   * {@link #putIfAbsent} checks each record's own deadline, so this only bounds memory.
   */
  private void expire(long now) {
    for (Iterator<Entry> it = records.values().iterator(); it.hasNext(); ) {
      if (it.next().expiresAt() > now) {
        return;
      }
      it.remove();
    }
  }

  int size() {
    return records.size();
  }

  @Override
  public String toString() {
    return "DedupWindow{" + records.size() + "/" + capacity + " records}";
  }
}
