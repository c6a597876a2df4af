package io.queues4j.sqlite;

import io.queues4j.spi.StoredMessage;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A packet: up to {@link #MAX} messages of a standard queue that became waiting together (the
 * sends of one commit, the retries of one settlement, one release of dead letters) with the same
 * visibility, stored in one row of {@code packets}. One row instead of one per message is what
 * makes the store fast: SQLite's work per row (b-tree and index entries, written at the add and
 * again at the delete) is shared by the whole packet.
 *
 * <p>A message of a packet is its row's key and its index in the packet; a claim's key is both in
 * one {@code long} ({@link #claimKey}). The row's {@code settled_low} and {@code settled_high}
 * bits mark the messages settled (deleted, retried under another packet, moved, expired or
 * purged); the row is deleted with its last message. Its {@code timestamp} is the oldest send time
 * among the messages not settled, kept up to date, so the queue's oldest message and its expired
 * ones are found through an index.
 *
 * <p>In memory (a packet being delivered, in {@link InFlight}): its messages decoded, which ones
 * are settled, how far claims have taken it, and the claim each message is in flight under.
 * Writer-confined.
 */
final class Packet {
  /** The most messages in one packet. */
  static final int MAX = 128;
  /** A claim key is {@code key << INDEX_BITS | index}. */
  private static final int INDEX_BITS = 7;
  /** Per message: id (2 longs), send time, attempts, content type, body length. */
  private static final int HEADER = 8 + 8 + 8 + 4 + 1 + 4;

  final long key;
  final long visibleAt;
  /** The messages as stored: attempts before the claims under way. */
  final StoredMessage[] messages;
  private long settledLow;
  private long settledHigh;
  /** Messages before this index were claimed (or settled before a claim reached them). */
  int claimed;
  /** The claim each message is in flight under, or {@code null}. */
  final InFlight.@Nullable Batch[] batches;

  private Packet(long key, long visibleAt, StoredMessage[] messages, long settledLow,
      long settledHigh) {
    this.key = key;
    this.visibleAt = visibleAt;
    this.messages = messages;
    this.settledLow = settledLow;
    this.settledHigh = settledHigh;
    this.batches = new InFlight.Batch[messages.length];
  }

  /** A packet read from its row. */
  static Packet read(long key, long visibleAt, long settledLow, long settledHigh, byte[] blob)
      throws SQLException {
    return new Packet(key, visibleAt, decode(blob, visibleAt), settledLow, settledHigh);
  }

  static long claimKey(long key, int index) {
    return key << INDEX_BITS | index;
  }

  static long packetKey(long claimKey) {
    return claimKey >>> INDEX_BITS;
  }

  static int index(long claimKey) {
    return (int) (claimKey & ((1 << INDEX_BITS) - 1));
  }

  int size() {
    return messages.length;
  }

  boolean settled(int index) {
    return index < 64
        ? (settledLow & 1L << index) != 0
        : (settledHigh & 1L << (index - 64)) != 0;
  }

  /** Marks a message settled. */
  void settle(int index) {
    if (index < 64) {
      settledLow |= 1L << index;
    } else {
      settledHigh |= 1L << (index - 64);
    }
    batches[index] = null;
  }

  /** How many messages are not settled. */
  int open() {
    return messages.length - Long.bitCount(settledLow) - Long.bitCount(settledHigh);
  }

  long settledLow() {
    return settledLow;
  }

  long settledHigh() {
    return settledHigh;
  }

  /** Whether a message past {@link #claimed} is not settled: the next claim's. */
  boolean unclaimed() {
    for (int i = claimed; i < messages.length; i++) {
      if (!settled(i)) {
        return true;
      }
    }
    return false;
  }

  /** The oldest send time of the messages not settled: the row's {@code timestamp}. */
  long oldest() {
    long oldest = Long.MAX_VALUE;
    for (int i = 0; i < messages.length; i++) {
      if (!settled(i)) {
        oldest = Math.min(oldest, messages[i].timestamp());
      }
    }
    return oldest;
  }

  /** Everything a transaction may change, to put back if it rolls back. */
  Runnable snapshot() {
    long low = settledLow;
    long high = settledHigh;
    int claimedBefore = claimed;
    InFlight.@Nullable Batch[] batchesBefore = batches.clone();
    return () -> {
      settledLow = low;
      settledHigh = high;
      claimed = claimedBefore;
      System.arraycopy(batchesBefore, 0, batches, 0, batches.length);
    };
  }

  /** The stored form of {@code messages.subList(from, to)}: their ids, times, attempts, bodies. */
  static byte[] encode(List<StoredMessage> messages, int from, int to) {
    int size = 0;
    for (int i = from; i < to; i++) {
      size += HEADER + messages.get(i).body().length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    for (int i = from; i < to; i++) {
      StoredMessage m = messages.get(i);
      out.putLong(m.idHigh()).putLong(m.idLow()).putLong(m.timestamp()).putInt(m.attempts())
          .put((byte) MessageTable.code(m.contentType())).putInt(m.body().length).put(m.body());
    }
    return out.array();
  }

  /** The messages of a stored packet, visible at {@code visibleAt}. */
  static StoredMessage[] decode(byte[] blob, long visibleAt) throws SQLException {
    ByteBuffer in = ByteBuffer.wrap(blob);
    StoredMessage[] messages = new StoredMessage[count(in)];
    for (int i = 0; i < messages.length; i++) {
      long idHigh = in.getLong();
      long idLow = in.getLong();
      long timestamp = in.getLong();
      int attempts = in.getInt();
      int type = in.get();
      byte[] body = new byte[in.getInt()];
      in.get(body);
      messages[i] = StoredMessage.of(idHigh, idLow, timestamp, body,
          MessageTable.contentType(type), visibleAt, attempts);
    }
    return messages;
  }

  /** How many messages a stored packet holds; checks that they fill it exactly. */
  private static int count(ByteBuffer in) throws SQLException {
    int count = 0;
    int at = 0;
    while (at < in.limit()) {
      if (in.limit() - at < HEADER || count == MAX) {
        throw corrupt(in.limit(), at);
      }
      int length = in.getInt(at + HEADER - 4);
      if (length < 0 || length > in.limit() - at - HEADER) {
        throw corrupt(in.limit(), at);
      }
      at += HEADER + length;
      count++;
    }
    if (count == 0) {
      throw corrupt(in.limit(), 0);
    }
    return count;
  }

  private static SQLException corrupt(int size, int at) {
    return new SQLException("a packet of " + size + " bytes is damaged at byte " + at, null,
        org.sqlite.SQLiteErrorCode.SQLITE_CORRUPT.code);
  }

  @Override
  public String toString() {
    return "Packet{key=" + key + ", visibleAt=" + visibleAt + ", size=" + messages.length
        + ", claimed=" + claimed + ", open=" + open() + "}";
  }
}
