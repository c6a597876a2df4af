package io.queues4j.core;

import static java.util.Objects.requireNonNull;

import io.queues4j.spi.StoredMessage;
import java.util.List;
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
 * <p>Layout, for a full window of 100,000 records written and evicted once per send: the records
 * sit in a ring of parallel arrays in write order (the oldest at {@code head}), and an
 * open-addressing table of 8-byte entries maps each live record to its place in the ring (2 MB for
 * 100,000 records). A send that is not a duplicate touches one table slot and the ring's end, and
 * evicts the ring's start; no objects are allocated or kept per record, so nothing of it is
 * copied by the garbage collector either.
 *
 * <p>A record is the 128-bit SipHash of its group and key under a random key, not the strings
 * themselves: a send is taken for a duplicate when both halves match. By chance, with 100,000
 * records, that happens about once in 10^33 sends; on purpose, it cannot, because the hash key is
 * secret (and so is the table's layout, so that senders cannot lengthen its probe runs either).
 *
 * <p>Thread-safe: its own lock, held for one batch of sends, so that sends to a FIFO queue do not
 * hold the store's lock (which claims and settlements take) while they look up their records.
 */
final class DedupWindow {
  private static final int INITIAL_LENGTH = 16;

  private final int capacity;
  private final SipHash hasher = SipHash.randomlyKeyed();

  // All below guarded by this.

  // The ring: record number s (from 1) is at index s & (ring length - 1), for head <= s < next.
  private long[] fingerprints = new long[INITIAL_LENGTH];
  private long[] idHighs = new long[INITIAL_LENGTH];
  private long[] idLows = new long[INITIAL_LENGTH];
  private long[] expiresAts = new long[INITIAL_LENGTH];
  /** The second half of a record's 128-bit hash. */
  private long[] secondHalves = new long[INITIAL_LENGTH];
  /** False once a record was replaced by a newer one with its group and key, or evicted. */
  private boolean[] alive = new boolean[INITIAL_LENGTH];
  private long head = 1;
  private long next = 1;
  private int live;

  /**
   * Open addressing with linear probing: per live record an {@link #entry}, 0 in an empty slot.
   * Twice the ring's length, so at most half full.
   */
  private long[] table = new long[2 * INITIAL_LENGTH];

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
  synchronized @Nullable String putIfAbsent(StoredMessage message, long now, long windowMillis) {
    return put(message, now, windowMillis);
  }

  /**
   * {@link #putIfAbsent} for each message in order, under one hold of the lock.
   *
   * @return per message, the original's id text, or {@code null} if it is not a duplicate
   */
  synchronized @Nullable String[] putAllIfAbsent(
      List<StoredMessage> messages, long now, long windowMillis) {
    @Nullable String[] originals = new String[messages.size()];
    for (int i = 0; i < originals.length; i++) {
      originals[i] = put(messages.get(i), now, windowMillis);
    }
    return originals;
  }

  private @Nullable String put(StoredMessage message, long now, long windowMillis) {
    String group = requireNonNull(message.groupId(), "groupId");
    String key = requireNonNull(message.dedupeKey(), "dedupeKey");
    long fingerprint = hasher.hash(group, key);
    long secondHalf = hasher.secondHalf();
    int slot = find(fingerprint, secondHalf);
    if (slot >= 0) {
      int r = ringIndex(table[slot]);
      if (expiresAts[r] > now) {
        return StoredMessage.idText(idHighs[r], idLows[r]);
      }
      alive[r] = false; // expired but not yet swept: the new record goes to the end
      live--;
      deleteSlot(slot);
    }
    expire(now);
    while (next - head >= capacity) {
      evictHead();
    }
    append(fingerprint, secondHalf, message, Durations.saturatedAdd(now, windowMillis));
    return null;
  }

  /** The table slot of the record with this hash, or -1. */
  private int find(long fingerprint, long secondHalf) {
    long[] t = table;
    int mask = t.length - 1;
    int tag = tag(fingerprint);
    for (int slot = tag & mask; ; slot = (slot + 1) & mask) {
      long entry = t[slot];
      if (entry == 0) {
        return -1;
      }
      if ((int) (entry >>> 32) == tag) {
        int r = ringIndex(entry);
        if (fingerprints[r] == fingerprint && secondHalves[r] == secondHalf) {
          return slot;
        }
      }
    }
  }

  /**
   * A table entry: the fingerprint's upper half, which also gives the entry's home slot, and the
   * record's ring index plus one (so that no entry is 0, an empty slot).
   */
  private static long entry(long fingerprint, int ringIndex) {
    return (fingerprint & 0xFFFF_FFFF_0000_0000L) | (ringIndex + 1);
  }

  private static int tag(long fingerprint) {
    return (int) (fingerprint >>> 32);
  }

  private static int ringIndex(long entry) {
    return (int) entry - 1;
  }

  private int index(long number) {
    return (int) number & (fingerprints.length - 1);
  }

  /**
   * Removes expired records from the oldest on, up to the first live one. Records written with a
   * longer window, or before the clock stepped back, may shield later expired ones for a while;
   * {@link #putIfAbsent} checks each record's own deadline, so this only bounds memory.
   */
  private void expire(long now) {
    while (head < next) {
      int r = index(head);
      if (alive[r] && expiresAts[r] > now) {
        return;
      }
      evictHead();
    }
  }

  private void evictHead() {
    int r = index(head);
    if (alive[r]) {
      long[] t = table;
      int mask = t.length - 1;
      int slot = tag(fingerprints[r]) & mask;
      while (ringIndex(t[slot]) != r) {
        if (t[slot] == 0) {
          throw new IllegalStateException("record " + head + " has no slot: " + this);
        }
        slot = (slot + 1) & mask;
      }
      deleteSlot(slot);
      alive[r] = false;
      live--;
    }
    head++;
  }

  /** Empties a slot, moving later entries of its probe run back so that each stays findable. */
  private void deleteSlot(int slot) {
    long[] t = table;
    int mask = t.length - 1;
    int hole = slot;
    for (int i = (hole + 1) & mask; t[i] != 0; i = (i + 1) & mask) {
      int home = (int) (t[i] >>> 32) & mask;
      // The entry at i may fill the hole unless its home lies cyclically in (hole, i].
      boolean staysPut = hole <= i ? hole < home && home <= i : hole < home || home <= i;
      if (!staysPut) {
        t[hole] = t[i];
        hole = i;
      }
    }
    t[hole] = 0;
  }

  private void append(long fingerprint, long secondHalf, StoredMessage message, long expiresAt) {
    if (next - head == fingerprints.length) {
      growRing(); // rehashes: ring indexes change, and the table stays twice the ring's length
    }
    int r = index(next++);
    fingerprints[r] = fingerprint;
    idHighs[r] = message.idHigh();
    idLows[r] = message.idLow();
    expiresAts[r] = expiresAt;
    secondHalves[r] = secondHalf;
    alive[r] = true;
    live++;
    insert(table, entry(fingerprint, r));
  }

  private static void insert(long[] t, long entry) {
    int mask = t.length - 1;
    int slot = (int) (entry >>> 32) & mask;
    while (t[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    t[slot] = entry;
  }

  private void growRing() {
    int length = fingerprints.length * 2;
    long[] f = new long[length];
    long[] hi = new long[length];
    long[] lo = new long[length];
    long[] ex = new long[length];
    long[] second = new long[length];
    boolean[] a = new boolean[length];
    for (long n = head; n < next; n++) {
      int from = index(n);
      int to = (int) n & (length - 1);
      f[to] = fingerprints[from];
      hi[to] = idHighs[from];
      lo[to] = idLows[from];
      ex[to] = expiresAts[from];
      second[to] = secondHalves[from];
      a[to] = alive[from];
    }
    fingerprints = f;
    idHighs = hi;
    idLows = lo;
    expiresAts = ex;
    secondHalves = second;
    alive = a;
    rehash(2 * length);
  }

  private void rehash(int slots) {
    long[] t = new long[slots];
    for (long n = head; n < next; n++) {
      int r = index(n);
      if (alive[r]) {
        insert(t, entry(fingerprints[r], r));
      }
    }
    table = t;
  }

  synchronized int size() {
    return live;
  }

  /** For tests: no slot refers to a record that is gone, and every live record has its slot. */
  synchronized boolean consistent() {
    int entries = 0;
    for (int slot = 0; slot < table.length; slot++) {
      long entry = table[slot];
      if (entry != 0) {
        entries++;
        int r = ringIndex(entry);
        if (!alive[r] || entry(fingerprints[r], r) != entry
            || find(fingerprints[r], secondHalves[r]) != slot) {
          return false;
        }
      }
    }
    int alives = 0;
    for (boolean a : alive) {
      alives += a ? 1 : 0;
    }
    return entries == live && alives == live && 2 * live <= table.length;
  }

  @Override
  public synchronized String toString() {
    return "DedupWindow{" + live + "/" + capacity + " records}";
  }
}
