package io.queues4j.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of FIFO queues (see {@link Schema}): a group's messages in send order ({@code
 * messages_group}), the claimable groups' first messages ({@code fifo_heads}) and the
 * deduplication records ({@code dedup}). Like {@link MessageTable}: prepared once, used by the
 * writer only, inside the caller's transaction.
 *
 * <p>The invariant this class keeps, through {@link #refresh}: a group has a row in {@code
 * fifo_heads} if and only if none of its messages is claimed and some are waiting; the row holds
 * the first waiting one (lowest key) and when it becomes visible. Every operation that changes a
 * group's claimed or waiting messages refreshes the group before its transaction goes on.
 */
final class FifoTable implements AutoCloseable {
  private final PreparedStatement firstHead;
  private final PreparedStatement groupRun;
  private final PreparedStatement claimKey;
  private final PreparedStatement hasClaimed;
  private final PreparedStatement firstWaiting;
  private final PreparedStatement putHead;
  private final PreparedStatement deleteHead;
  private final PreparedStatement deleteHeads;
  private final PreparedStatement findDedup;
  private final PreparedStatement putDedup;
  private final PreparedStatement sweepDedup;
  private final PreparedStatement claimedGroups;
  private final List<PreparedStatement> all = new ArrayList<>();

  FifoTable(Connection connection) throws SQLException {
    firstHead = prepare(connection, "SELECT grp, visible_at FROM fifo_heads WHERE queue = ?"
        + " ORDER BY visible_at, key LIMIT 1");
    groupRun = prepare(connection, "SELECT " + MessageTable.COLUMNS + " FROM messages"
        + " WHERE queue = ? AND grp = ? AND state = 0 ORDER BY key LIMIT ?");
    claimKey = prepare(connection, "UPDATE messages SET state = 1, attempts = attempts + 1,"
        + " lease = ? WHERE key = ?");
    hasClaimed = prepare(connection, "SELECT 1 FROM messages"
        + " WHERE queue = ? AND grp = ? AND state = 1 LIMIT 1");
    firstWaiting = prepare(connection, "SELECT key, visible_at FROM messages"
        + " WHERE queue = ? AND grp = ? AND state = 0 ORDER BY key LIMIT 1");
    putHead = prepare(connection, "INSERT OR REPLACE INTO fifo_heads (queue, grp, visible_at, key)"
        + " VALUES (?, ?, ?, ?)");
    deleteHead = prepare(connection, "DELETE FROM fifo_heads WHERE queue = ? AND grp = ?");
    deleteHeads = prepare(connection, "DELETE FROM fifo_heads WHERE queue = ?");
    findDedup = prepare(connection, "SELECT original FROM dedup"
        + " WHERE queue = ? AND grp = ? AND dkey = ? AND expires > ?");
    putDedup = prepare(connection, "INSERT OR REPLACE INTO dedup"
        + " (queue, grp, dkey, original, added, expires) VALUES (?, ?, ?, ?, ?, ?)");
    sweepDedup = prepare(connection, "DELETE FROM dedup WHERE (queue, grp, dkey) IN"
        + " (SELECT queue, grp, dkey FROM dedup WHERE queue = ? AND expires <= ? LIMIT ?)");
    claimedGroups = prepare(connection, "SELECT DISTINCT grp FROM messages"
        + " WHERE queue = ? AND state = 1 AND grp IS NOT NULL");
  }

  private PreparedStatement prepare(Connection connection, String sql) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    all.add(statement);
    return statement;
  }

  /** A claimable group and when its first waiting message becomes visible. */
  record Head(String group, long visibleAt) {}

  /** The claimable group whose first message becomes visible first, or {@code null}. */
  @Nullable Head firstHead(long queue) throws SQLException {
    firstHead.setLong(1, queue);
    try (ResultSet rs = firstHead.executeQuery()) {
      return rs.next() ? new Head(rs.getString(1), rs.getLong(2)) : null;
    }
  }

  /** The group's first {@code max} waiting messages, in send order. */
  List<MessageTable.Row> groupRun(long queue, String group, int max) throws SQLException {
    groupRun.setLong(1, queue);
    groupRun.setString(2, group);
    groupRun.setInt(3, max);
    return MessageTable.rows(groupRun, max);
  }

  void addClaim(long key, long lease) throws SQLException {
    claimKey.setLong(1, lease);
    claimKey.setLong(2, key);
    claimKey.addBatch();
  }

  void flushClaims() throws SQLException {
    claimKey.executeBatch();
  }

  /** Makes the group's {@code fifo_heads} row agree with its messages: see the class doc. */
  void refresh(long queue, String group) throws SQLException {
    hasClaimed.setLong(1, queue);
    hasClaimed.setString(2, group);
    boolean claimed;
    try (ResultSet rs = hasClaimed.executeQuery()) {
      claimed = rs.next();
    }
    if (!claimed) {
      firstWaiting.setLong(1, queue);
      firstWaiting.setString(2, group);
      try (ResultSet rs = firstWaiting.executeQuery()) {
        if (rs.next()) {
          putHead.setLong(1, queue);
          putHead.setString(2, group);
          putHead.setLong(3, rs.getLong(2));
          putHead.setLong(4, rs.getLong(1));
          putHead.executeUpdate();
          return;
        }
      }
    }
    removeHead(queue, group);
  }

  /** The group is claimed: not claimable until its claims are settled. */
  void removeHead(long queue, String group) throws SQLException {
    deleteHead.setLong(1, queue);
    deleteHead.setString(2, group);
    deleteHead.executeUpdate();
  }

  /** Every waiting message of the queue is gone (a purge). */
  void removeHeads(long queue) throws SQLException {
    deleteHeads.setLong(1, queue);
    deleteHeads.executeUpdate();
  }

  /** The id of the message the record of (group, key) names, if it expires after {@code now}. */
  @Nullable String original(long queue, String group, String key, long now) throws SQLException {
    findDedup.setLong(1, queue);
    findDedup.setString(2, group);
    findDedup.setString(3, key);
    findDedup.setLong(4, now);
    try (ResultSet rs = findDedup.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** Records (group, key) as the message {@code id}'s, added at {@code added}, until expires. */
  void record(long queue, String group, String key, String id, long added, long expires)
      throws SQLException {
    putDedup.setLong(1, queue);
    putDedup.setString(2, group);
    putDedup.setString(3, key);
    putDedup.setString(4, id);
    putDedup.setLong(5, added);
    putDedup.setLong(6, expires);
    putDedup.executeUpdate();
  }

  /** Deletes up to {@code max} of the queue's records that expired at or before {@code now}. */
  int sweep(long queue, long now, int max) throws SQLException {
    sweepDedup.setLong(1, queue);
    sweepDedup.setLong(2, now);
    sweepDedup.setInt(3, max);
    return sweepDedup.executeUpdate();
  }

  /** The groups of the queue that have claimed messages (at open: recovery). */
  List<String> claimedGroups(long queue) throws SQLException {
    claimedGroups.setLong(1, queue);
    List<String> groups = new ArrayList<>();
    try (ResultSet rs = claimedGroups.executeQuery()) {
      while (rs.next()) {
        groups.add(rs.getString(1));
      }
    }
    return groups;
  }

  @Override
  public void close() throws SQLException {
    MessageTable.closeAll(all);
  }
}
