package io.queues4j.postgres;

import io.queues4j.spi.Claim;
import io.queues4j.spi.ClaimResult;
import io.queues4j.spi.StoredMessage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The FIFO side of a queue's rows ({@link FifoSql}): the per-group head rows in {@code
 * fifo_groups} and the deduplication records in {@code fifo_dedup}. Every operation that changes a
 * group's waiting or claimed messages runs {@link #lock} on the groups first, then its
 * statements, then {@link #recompute} on the same groups, all in one transaction; claims take
 * their group with {@code FOR UPDATE SKIP LOCKED} instead. So at most one transaction works on a
 * group at a time, and the head rows always describe the committed messages.
 *
 * <p>Stateless; each method runs on the transaction's thread.
 */
final class FifoRows {
  private FifoRows() {}

  /** A group of a queue. */
  record GroupRef(int queue, String group) {}

  /** Locks (creating placeholders for) the head rows of the groups, in (queue, group) order. */
  static void lock(Transaction tx, Collection<GroupRef> groups) throws SQLException {
    if (!groups.isEmpty()) {
      run(tx, tx.sql.fifo.lockGroups, groups);
    }
  }

  /** Sets each group's head row from its messages, or deletes it if it has none. */
  static void recompute(Transaction tx, Collection<GroupRef> groups) throws SQLException {
    if (!groups.isEmpty()) {
      run(tx, tx.sql.fifo.recompute, groups);
    }
  }

  private static void run(Transaction tx, String statement, Collection<GroupRef> groups)
      throws SQLException {
    Integer[] queues = new Integer[groups.size()];
    String[] ids = new String[groups.size()];
    int i = 0;
    for (GroupRef g : groups) {
      queues[i] = g.queue();
      ids[i++] = g.group();
    }
    try (PreparedStatement st = tx.connection.prepareStatement(statement)) {
      st.setArray(1, tx.array("int4", queues));
      st.setArray(2, tx.array("text", ids));
      st.execute();
    }
  }

  /** The distinct groups of messages of one queue (standard messages have none). */
  static List<GroupRef> groupsOf(int queue, Collection<StoredMessage> messages) {
    TreeSet<String> ids = new TreeSet<>();
    for (StoredMessage m : messages) {
      String g = m.groupId();
      if (g != null) {
        ids.add(g);
      }
    }
    List<GroupRef> refs = new ArrayList<>(ids.size());
    for (String g : ids) {
      refs.add(new GroupRef(queue, g));
    }
    return refs;
  }

  /** See {@link io.queues4j.spi.QueueStore#addDeduplicated}. */
  static List<String> add(Transaction tx, PostgresQueueStore q, List<StoredMessage> messages,
      long now, long windowMillis) throws SQLException {
    // duplicates inside the batch: the first of each (group, key) stands for the others
    Map<List<String>, StoredMessage> firsts = new LinkedHashMap<>();
    for (StoredMessage m : messages) {
      firsts.putIfAbsent(dedupeRef(m), m);
    }
    List<GroupRef> groups = groupsOf(q.id, messages);
    lock(tx, groups);
    int n = firsts.size();
    String[] groupIds = new String[n];
    String[] keys = new String[n];
    Long[] highs = new Long[n];
    Long[] lows = new Long[n];
    int i = 0;
    for (Map.Entry<List<String>, StoredMessage> e : firsts.entrySet()) {
      groupIds[i] = e.getKey().get(0);
      keys[i] = e.getKey().get(1);
      highs[i] = e.getValue().idHigh();
      lows[i++] = e.getValue().idLow();
    }
    java.util.Set<List<String>> fresh = new java.util.HashSet<>();
    try (PreparedStatement st = tx.connection.prepareStatement(tx.sql.fifo.dedupe)) {
      st.setInt(1, q.id);
      st.setLong(2, now);
      st.setArray(3, tx.array("text", groupIds));
      st.setArray(4, tx.array("text", keys));
      st.setArray(5, tx.array("int8", highs));
      st.setArray(6, tx.array("int8", lows));
      st.setLong(7, now - windowMillis);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          fresh.add(List.of(rs.getString(1), rs.getString(2)));
        }
      }
    }
    Map<List<String>, String> originals = new HashMap<>();
    if (fresh.size() < n) {
      try (PreparedStatement st = tx.connection.prepareStatement(tx.sql.fifo.originals)) {
        st.setArray(1, tx.array("text", groupIds));
        st.setArray(2, tx.array("text", keys));
        st.setInt(3, q.id);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            originals.put(List.of(rs.getString(1), rs.getString(2)),
                String.format("%016x%016x", rs.getLong(3), rs.getLong(4)));
          }
        }
      }
    }
    List<StoredMessage> stored = new ArrayList<>(fresh.size());
    List<String> ids = new ArrayList<>(messages.size());
    for (StoredMessage m : messages) {
      List<String> ref = dedupeRef(m);
      StoredMessage first = firsts.get(ref);
      if (fresh.contains(ref)) {
        if (first == m) {
          stored.add(m);
        }
        ids.add(java.util.Objects.requireNonNull(first).id());
      } else {
        String original = originals.get(ref);
        if (original == null) {
          throw new SQLException("no deduplication record for group '" + ref.get(0)
              + "' and key '" + ref.get(1) + "' of queue '" + q.name() + "'");
        }
        ids.add(original);
      }
    }
    if (!stored.isEmpty()) {
      insert(tx, q.id, stored);
      long bytes = 0;
      long earliest = Long.MAX_VALUE;
      for (StoredMessage m : stored) {
        bytes += m.size();
        earliest = Math.min(earliest, m.timestamp());
      }
      tx.added(q.id, stored.size(), bytes, earliest);
      tx.notify(q.id);
    }
    recompute(tx, groups);
    return ids;
  }

  private static List<String> dedupeRef(StoredMessage m) {
    String group = m.groupId();
    String key = m.dedupeKey();
    if (group == null || key == null) {
      throw new IllegalArgumentException("a message of a FIFO queue needs a group and a"
          + " deduplication key: " + m);
    }
    return List.of(group, key);
  }

  private static void insert(Transaction tx, int queue, List<StoredMessage> messages)
      throws SQLException {
    int n = messages.size();
    String[] groups = new String[n];
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      List<String> ref = dedupeRef(messages.get(i));
      groups[i] = ref.get(0);
      keys[i] = ref.get(1);
    }
    try (PreparedStatement st = tx.connection.prepareStatement(tx.sql.fifo.insert)) {
      st.setInt(1, queue);
      int next = new MessageColumns(messages).bind(st, 2, tx.connection);
      st.setArray(next, tx.array("text", groups));
      st.setArray(next + 1, tx.array("text", keys));
      st.executeUpdate();
    }
  }

  /** See {@link io.queues4j.spi.QueueStore#claimGroup}. */
  static ClaimResult claim(Transaction tx, PostgresQueueStore q, int max, long now,
      long leaseUntil, long owner) throws SQLException {
    FifoSql sql = tx.sql.fifo;
    String group = null;
    try (PreparedStatement st = tx.connection.prepareStatement(sql.pick)) {
      st.setInt(1, q.id);
      st.setLong(2, now);
      try (ResultSet rs = st.executeQuery()) {
        if (rs.next()) {
          group = rs.getString(1);
        }
      }
    }
    List<Claim> claims = new ArrayList<>();
    if (group != null) {
      // the run: claimed rows (their leases ended, or the group would not be claimable) and
      // waiting rows visible by now, in send order, up to the first one not yet visible
      List<Long> keys = new ArrayList<>();
      try (PreparedStatement st = tx.connection.prepareStatement(sql.run)) {
        st.setInt(1, q.id);
        st.setString(2, group);
        st.setInt(3, max);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            if (rs.getInt(2) == 0 && rs.getLong(3) > now) {
              break;
            }
            keys.add(rs.getLong(1));
          }
        }
      }
      if (!keys.isEmpty()) {
        try (PreparedStatement st = tx.connection.prepareStatement(sql.take)) {
          st.setLong(1, leaseUntil);
          st.setLong(2, owner);
          st.setArray(3, tx.array("int8", keys.toArray(new Long[0])));
          st.setInt(4, q.id);
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              claims.add(new Claim(PostgresQueueStore.message(rs, 2), rs.getLong(2),
                  rs.getLong(1)));
            }
          }
        }
        claims.sort(Comparator.comparingLong(Claim::key));
      }
      recompute(tx, List.of(new GroupRef(q.id, group)));
    }
    long next = Long.MAX_VALUE;
    try (PreparedStatement st = tx.connection.prepareStatement(sql.nextVisible)) {
      st.setInt(1, q.id);
      try (ResultSet rs = st.executeQuery()) {
        if (rs.next()) {
          next = rs.getLong(1);
        }
      }
    }
    return new ClaimResult(claims, next);
  }

  /** See {@link io.queues4j.spi.QueueStore#expire}, for a FIFO queue. */
  static List<StoredMessage> expire(Transaction tx, PostgresQueueStore q, long sentBefore,
      int max) throws SQLException {
    FifoSql sql = tx.sql.fifo;
    List<Long> keys = new ArrayList<>();
    TreeSet<String> groupIds = new TreeSet<>();
    try (PreparedStatement st = tx.connection.prepareStatement(sql.expireCandidates)) {
      st.setInt(1, q.id);
      st.setLong(2, sentBefore);
      st.setInt(3, max);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          keys.add(rs.getLong(1));
          String g = rs.getString(2);
          if (g != null) {
            groupIds.add(g);
          }
        }
      }
    }
    List<StoredMessage> expired = new ArrayList<>();
    if (keys.isEmpty()) {
      return expired;
    }
    List<GroupRef> groups = new ArrayList<>();
    groupIds.forEach(g -> groups.add(new GroupRef(q.id, g)));
    lock(tx, groups);
    try (PreparedStatement st = tx.connection.prepareStatement(sql.expire)) {
      st.setArray(1, tx.array("int8", keys.toArray(new Long[0])));
      st.setInt(2, q.id);
      st.setLong(3, sentBefore);
      q.removed(tx, st, expired);
    }
    recompute(tx, groups);
    expired.sort(Comparator.comparingLong(StoredMessage::timestamp)); // stable: then by key
    return expired;
  }

  /** Locks every group of a FIFO queue (before a purge); returns them. */
  static List<GroupRef> lockAll(Transaction tx, PostgresQueueStore q) throws SQLException {
    return lockListed(tx, q, tx.sql.fifo.queueGroups);
  }

  /** Locks the groups of a FIFO queue's held dead letters (before they are released). */
  static List<GroupRef> lockHeld(Transaction tx, PostgresQueueStore q) throws SQLException {
    return lockListed(tx, q, tx.sql.fifo.heldGroups);
  }

  private static List<GroupRef> lockListed(Transaction tx, PostgresQueueStore q, String query)
      throws SQLException {
    TreeSet<String> ids = new TreeSet<>();
    try (PreparedStatement st = tx.connection.prepareStatement(query)) {
      st.setInt(1, q.id);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    List<GroupRef> groups = new ArrayList<>(ids.size());
    ids.forEach(g -> groups.add(new GroupRef(q.id, g)));
    lock(tx, groups);
    return groups;
  }

  /** Deletes up to {@code max} deduplication records added at or before {@code cutoff}. */
  static int sweep(Transaction tx, PostgresQueueStore q, long cutoff, int max)
      throws SQLException {
    try (PreparedStatement st = tx.connection.prepareStatement(tx.sql.fifo.sweep)) {
      st.setInt(1, q.id);
      st.setLong(2, cutoff);
      st.setInt(3, max);
      return st.executeUpdate();
    }
  }
}
