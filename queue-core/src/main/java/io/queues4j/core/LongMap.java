package io.queues4j.core;

import org.jspecify.annotations.Nullable;

/**
 * A map from {@code long} keys to values, for the in-memory store's claimed messages: open
 * addressing with linear probing in two parallel arrays, so a lookup boxes nothing and touches one
 * run of slots. At most half full; a removal shifts the run's later entries back rather than
 * leaving a tombstone, so lookups stay short however many claims come and go.
 *
 * <p>Not thread-safe: its owner guards it.
 *
 * @param <V> the values
 */
final class LongMap<V> {
  private static final int MIN_CAPACITY = 16;
  /**
   * The table shrinks only above this capacity (64 KB of arrays): claims come and go in batches,
   * and a table that shrank whenever a batch settled would grow again with the next claim.
   */
  private static final int SHRINK_ABOVE = 4096;

  private long[] keys;
  private @Nullable Object[] values;
  private int mask;
  private int size;

  LongMap() {
    keys = new long[MIN_CAPACITY];
    values = new Object[MIN_CAPACITY];
    mask = MIN_CAPACITY - 1;
  }

  int size() {
    return size;
  }

  /** The value under {@code key}, or {@code null}. */
  @SuppressWarnings("unchecked") // values[i] is only ever set to a V
  @Nullable V get(long key) {
    int i = find(key);
    return i < 0 ? null : (V) values[i];
  }

  /** Maps {@code key} to {@code value}; returns the value it replaced, or {@code null}. */
  @SuppressWarnings("unchecked") // values[i] is only ever set to a V
  @Nullable V put(long key, V value) {
    int i = slot(key);
    Object current;
    while ((current = values[i]) != null) {
      if (keys[i] == key) {
        values[i] = value;
        return (V) current;
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
    if (++size > (mask + 1) >>> 1) {
      resize((mask + 1) << 1);
    }
    return null;
  }

  /** Removes {@code key}; returns its value, or {@code null} if it had none. */
  @SuppressWarnings("unchecked") // values[i] is only ever set to a V
  @Nullable V remove(long key) {
    int i = find(key);
    if (i < 0) {
      return null;
    }
    V removed = (V) values[i];
    size--;
    // Backward shift: move each later entry of the run into the hole if its home slot is not
    // cyclically in (hole, entry]; stop at the first empty slot.
    int hole = i;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      if (values[j] == null) {
        break;
      }
      int home = slot(keys[j]);
      boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        keys[hole] = keys[j];
        values[hole] = values[j];
        hole = j;
      }
    }
    values[hole] = null;
    if (mask + 1 > SHRINK_ABOVE && size < (mask + 1) >>> 4) {
      resize((mask + 1) >>> 1); // after a burst of claims; never at the sizes a queue cycles in
    }
    return removed;
  }

  private int find(long key) {
    int i = slot(key);
    while (values[i] != null) {
      if (keys[i] == key) {
        return i;
      }
      i = (i + 1) & mask;
    }
    return -1;
  }

  private int slot(long key) {
    // Fibonacci hashing: consecutive keys (the store's) land apart, so no long run of full slots
    // forms for a removal to shift back through
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 32) & mask;
  }

  private void resize(int capacity) {
    long[] oldKeys = keys;
    @Nullable Object[] oldValues = values;
    keys = new long[capacity];
    values = new Object[capacity];
    mask = capacity - 1;
    for (int i = 0; i < oldValues.length; i++) {
      if (oldValues[i] != null) {
        int j = slot(oldKeys[i]);
        while (values[j] != null) {
          j = (j + 1) & mask;
        }
        keys[j] = oldKeys[i];
        values[j] = oldValues[i];
      }
    }
  }

  @Override
  public String toString() {
    return "LongMap(size " + size + ", capacity " + keys.length + ")";
  }
}
