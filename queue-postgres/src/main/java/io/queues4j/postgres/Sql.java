package io.queues4j.postgres;

/**
 * The statements of the store, written once per schema. Every table name is qualified with the
 * quoted schema, so that the statements never depend on a connection's {@code search_path}.
 *
 * <p>Rules they follow (docs/POSTGRES.md explains them): a claim takes rows with {@code FOR UPDATE
 * SKIP LOCKED}, so concurrent claimers never wait for each other and never take the same row; a
 * settlement matches its row by key <em>and</em> lease token and {@code state = 1}, so the
 * settlement of a claim that is no longer current changes nothing and is reported stale; the
 * counters of a queue change in the same transaction as its rows.
 */
final class Sql {
  /** Message columns read back into a {@link io.queues4j.spi.StoredMessage}, in this order. */
  static final String MESSAGE_COLUMNS =
      "m.key, m.visible_at, m.attempts, m.id_high, m.id_low, m.sent_at, m.content_type, m.body,"
          + " m.group_id, m.dedupe_key";

  /** The counter slot where folded outbox counts go; store workers use 0 to 63. */
  static final int FOLDED_SLOT = 64;

  /** How many counter slots store workers spread over. */
  static final int WORKER_SLOTS = 64;

  final String schema;
  final String channel;
  final String insert;
  final String claim;
  final String delete;
  final String retry;
  final String move;
  final String evictHeld;
  final String expire;
  final String releaseHeld;
  final String listHeld;
  final String removeHeld;
  final String purge;
  final String finish;
  final String finishAndNotify;
  final String notify;
  final String backlog;
  final String backlogCounts;
  final String storedQueues;
  final String registerQueue;
  final String queueId;
  final String releaseOwned;
  final String ready;
  final String foldOutboxCounts;
  final String outboxInsert;
  final FifoSql fifo;

  Sql(String schema) {
    this.schema = schema;
    this.fifo = new FifoSql(schema);
    this.channel = "queues4j." + schema;
    String s = '"' + schema + '"';
    String messages = s + ".messages";
    String keys = "nextval('" + s + ".message_keys')";
    insert = "INSERT INTO " + messages + " (key, position, queue_id, state, visible_at, attempts,"
        + " id_high, id_low, sent_at, content_type, size, body)"
        + " SELECT x.k, x.k, ?, ?, x.v, 0, x.ih, x.il, x.s, x.ct, octet_length(x.b), x.b"
        + " FROM (SELECT " + keys + " AS k, t.* FROM unnest(?::int8[], ?::int8[], ?::int8[],"
        + " ?::int8[], ?::int2[], ?::bytea[]) AS t(v, ih, il, s, ct, b)) x";
    // 1 queue, 2 now, 3 max, 4 queue, 5 now, 6 max, 7 max, 8 leaseUntil, 9 owner,
    // 10 max, 11 queue, 12 now, 13 queue, 14 queue, 15 queue
    // One round trip: the claimed rows, and (in every row, and in one row of nulls if none was
    // claimed) the next visibleAt of what is left. The outer query sees the rows as they were
    // before the update, so what the claim took is excluded by position: a claim that took fewer
    // than max took everything visible by now (or another engine is taking it), so the next is
    // visible later than now; a full claim took the waiting rows up to its last one, so the next
    // is the first waiting row after that. A claim only of lapsed leases is committed without
    // waiting for the WAL flush (synchronous_commit off, for this transaction only): see
    // Workers.Kind.CLAIM.
    claim = "WITH expired AS MATERIALIZED (SELECT key, visible_at, position FROM " + messages
        + " WHERE queue_id = ? AND state = 1 AND lease_until <= ?"
        + " ORDER BY lease_until LIMIT ? FOR UPDATE SKIP LOCKED),"
        + " waiting AS MATERIALIZED (SELECT key, visible_at, position FROM " + messages
        + " WHERE queue_id = ? AND state = 0 AND visible_at <= ?"
        + " ORDER BY visible_at, position LIMIT ? FOR UPDATE SKIP LOCKED),"
        + " picked AS MATERIALIZED (SELECT key, position FROM (SELECT * FROM expired UNION ALL"
        + " SELECT * FROM waiting) u ORDER BY visible_at, position LIMIT ?),"
        + " token AS (SELECT nextval('" + s + ".leases') AS lease,"
        + " set_config('synchronous_commit', 'off', true) AS lazy),"
        + " claimed AS (UPDATE " + messages + " m SET state = 1, attempts = m.attempts + 1,"
        + " lease = token.lease, lease_until = ?, owner = ?"
        + " FROM picked, token WHERE m.key = picked.key"
        + " RETURNING m.lease, m.position, " + MESSAGE_COLUMNS + "),"
        + " last AS (SELECT visible_at, position FROM waiting"
        + " ORDER BY visible_at DESC, position DESC LIMIT 1)"
        + " SELECT c.*, CASE WHEN (SELECT count(*) FROM picked) < ?"
        + " THEN (SELECT min(w.visible_at) FROM " + messages + " w"
        + " WHERE w.queue_id = ? AND w.state = 0 AND w.visible_at > ?)"
        + " ELSE coalesce((SELECT w.visible_at FROM " + messages + " w"
        + " WHERE w.state = 0 AND (w.queue_id, w.visible_at, w.position)"
        + " > (?, (SELECT visible_at FROM last), (SELECT position FROM last))"
        + " AND w.queue_id = ? ORDER BY w.queue_id, w.visible_at, w.position LIMIT 1),"
        + " (SELECT min(w.visible_at) FROM " + messages + " w WHERE w.queue_id = ?"
        + " AND w.state = 0 AND NOT EXISTS (SELECT 1 FROM waiting)))"
        + " END AS next_visible"
        + " FROM (SELECT 1) one LEFT JOIN claimed c ON true";
    // "m.key = ANY(keys)" besides the join: primary-key lookups, never a scan of the table
    delete = "DELETE FROM " + messages + " m USING unnest(?::int8[], ?::int8[]) AS s(k, l)"
        + " WHERE m.key = ANY(?::int8[]) AND m.key = s.k AND m.lease = s.l AND m.state = 1"
        + " AND m.queue_id = ?"
        + " RETURNING m.key, m.size";
    retry = "UPDATE " + messages + " m SET state = 0, lease = NULL, lease_until = NULL,"
        + " owner = NULL, visible_at = s.v, attempts = m.attempts - s.u, position = s.p"
        + " FROM (SELECT t.*, " + keys + " AS p FROM unnest(?::int8[], ?::int8[], ?::int8[],"
        + " ?::int4[]) AS t(k, l, v, u)) s"
        + " WHERE m.key = ANY(?::int8[]) AND m.key = s.k AND m.lease = s.l AND m.state = 1"
        + " AND m.queue_id = ? RETURNING m.key";
    // 1 keys, 2 leases, 3 visibleAts, 4 keys, 5 source queue, 6 target queue, 7 target state
    move = "WITH s AS (SELECT * FROM unnest(?::int8[], ?::int8[], ?::int8[])"
        + " WITH ORDINALITY AS s(k, l, v, o)),"
        + " moved AS (DELETE FROM " + messages + " m USING s"
        + " WHERE m.key = ANY(?::int8[]) AND m.key = s.k AND m.lease = s.l AND m.state = 1"
        + " AND m.queue_id = ?"
        + " RETURNING m.key, m.id_high, m.id_low, m.sent_at, m.content_type, m.size, m.body,"
        + " m.group_id, m.dedupe_key, s.v, s.o),"
        + " added AS (INSERT INTO " + messages + " (key, position, queue_id, state, visible_at,"
        + " attempts, id_high, id_low, sent_at, content_type, size, body, group_id, dedupe_key)"
        + " SELECT r.k, r.k, ?, ?, r.v, 0, r.id_high, r.id_low, r.sent_at, r.content_type,"
        + " r.size, r.body, r.group_id, r.dedupe_key FROM (SELECT " + keys + " AS k, q.* FROM"
        + " (SELECT * FROM moved ORDER BY o) q) r RETURNING 1)"
        + " SELECT key, size, sent_at, (SELECT count(*) FROM added) FROM moved";
    evictHeld = "WITH out AS MATERIALIZED (SELECT key FROM " + messages + " WHERE queue_id = ? AND state = 2"
        + " ORDER BY key DESC OFFSET ?)"
        + " DELETE FROM " + messages + " m USING out WHERE m.key = out.key"
        + " RETURNING m.size, " + MESSAGE_COLUMNS;
    expire = "WITH old AS MATERIALIZED (SELECT key FROM " + messages
        + " WHERE queue_id = ? AND sent_at < ? AND state <> 1"
        + " ORDER BY sent_at, key LIMIT ? FOR UPDATE SKIP LOCKED)"
        + " DELETE FROM " + messages + " m USING old WHERE m.key = old.key"
        + " RETURNING m.size, " + MESSAGE_COLUMNS;
    releaseHeld = "WITH h AS MATERIALIZED (SELECT key FROM " + messages + " WHERE queue_id = ? AND state = 2"
        + " ORDER BY key FOR UPDATE), p AS (SELECT key, " + keys + " AS p FROM h)"
        + " UPDATE " + messages + " m SET state = 0, visible_at = ?, position = p.p"
        + " FROM p WHERE m.key = p.key";
    listHeld = "SELECT " + MESSAGE_COLUMNS + " FROM " + messages
        + " m WHERE m.queue_id = ? AND m.state = 2 ORDER BY m.key";
    removeHeld = "DELETE FROM " + messages + " m WHERE m.queue_id = ? AND m.state = 2"
        + " RETURNING m.size, " + MESSAGE_COLUMNS;
    purge = "WITH d AS (DELETE FROM " + messages + " WHERE queue_id = ? AND state <> 1"
        + " RETURNING size) SELECT count(*), coalesce(sum(size), 0) FROM d";
    // 1 queue ids, 2 count deltas, 3 byte deltas, 4 whether to read the oldest, 5 slot
    // (finishAndNotify: 6 channel, 7 payloads)
    String totals = " SELECT d.q,"
        + " coalesce((SELECT sum(c.messages) FROM " + s + ".queue_stats c WHERE c.queue_id = d.q),"
        + " 0) + d.n,"
        + " coalesce((SELECT sum(c.bytes) FROM " + s + ".queue_stats c WHERE c.queue_id = d.q),"
        + " 0) + d.b,"
        + " CASE WHEN d.o THEN coalesce((SELECT min(m.sent_at) FROM " + messages + " m"
        + " WHERE m.queue_id = d.q), 0) ELSE -1 END,"
        + " (SELECT count(*) FROM up)";
    String counters = "WITH d AS (SELECT * FROM unnest(?::int4[], ?::int8[], ?::int8[], ?::bool[])"
        + " AS d(q, n, b, o)),"
        + " up AS (INSERT INTO " + s + ".queue_stats AS st (queue_id, slot, messages, bytes)"
        + " SELECT q, ?, n, b FROM d ORDER BY q ON CONFLICT (queue_id, slot) DO UPDATE"
        + " SET messages = st.messages + excluded.messages, bytes = st.bytes + excluded.bytes"
        + " RETURNING 1)";
    finish = counters + totals + " FROM d";
    finishAndNotify = counters + ", nt AS (SELECT pg_notify(?, x) FROM unnest(?::text[]) AS x)"
        + totals + ", (SELECT count(*) FROM nt) FROM d";
    notify = "SELECT pg_notify(?, x) FROM unnest(?::text[]) AS x";
    backlog = "SELECT q.id,"
        + " coalesce((SELECT sum(c.messages) FROM " + s + ".queue_stats c WHERE c.queue_id = q.id),"
        + " 0),"
        + " coalesce((SELECT sum(c.bytes) FROM " + s + ".queue_stats c WHERE c.queue_id = q.id),"
        + " 0),"
        + " (SELECT min(m.sent_at) FROM " + messages + " m WHERE m.queue_id = q.id)"
        + " FROM unnest(?::int4[]) AS q(id)";
    backlogCounts = "SELECT q.id,"
        + " coalesce((SELECT sum(c.messages) FROM " + s + ".queue_stats c WHERE c.queue_id = q.id),"
        + " 0),"
        + " coalesce((SELECT sum(c.bytes) FROM " + s + ".queue_stats c WHERE c.queue_id = q.id),"
        + " 0), -1 FROM unnest(?::int4[]) AS q(id)";
    storedQueues = "SELECT q.name, sum(c.messages), sum(c.bytes),"
        + " (SELECT min(m.sent_at) FROM " + messages + " m WHERE m.queue_id = q.id)"
        + " FROM " + s + ".queues q JOIN " + s + ".queue_stats c ON c.queue_id = q.id"
        + " GROUP BY q.id, q.name HAVING sum(c.messages) > 0 ORDER BY q.name";
    registerQueue = "INSERT INTO " + s + ".queues (name) VALUES (?) ON CONFLICT (name) DO NOTHING";
    queueId = "SELECT id FROM " + s + ".queues WHERE name = ?";
    releaseOwned = "UPDATE " + messages + " SET state = 0, lease = NULL, lease_until = NULL,"
        + " owner = NULL WHERE queue_id = ANY(?::int4[]) AND state = 1 AND owner = ?"
        + " RETURNING queue_id";
    // 1 queue ids, 2 whether each is FIFO, 3-5 now: a FIFO queue is ready when a group is
    // claimable (its waiting messages may all be behind claimed ones)
    ready = "SELECT q.id FROM unnest(?::int4[], ?::bool[]) AS q(id, fifo) WHERE CASE WHEN q.fifo"
        + " THEN EXISTS (SELECT 1 FROM " + s + ".fifo_groups g WHERE g.queue_id = q.id"
        + " AND g.next_at <= ?) ELSE EXISTS (SELECT 1 FROM " + messages
        + " m WHERE m.queue_id = q.id AND m.state = 0 AND m.visible_at <= ?) OR EXISTS (SELECT 1"
        + " FROM " + messages + " m WHERE m.queue_id = q.id AND m.state = 1"
        + " AND m.lease_until <= ?) END";
    foldOutboxCounts = "WITH gone AS (DELETE FROM " + s + ".queue_stats WHERE slot < 0"
        + " RETURNING queue_id, messages, bytes)"
        + " INSERT INTO " + s + ".queue_stats AS st (queue_id, slot, messages, bytes)"
        + " SELECT queue_id, " + FOLDED_SLOT + ", sum(messages), sum(bytes) FROM gone"
        + " GROUP BY queue_id ORDER BY queue_id ON CONFLICT (queue_id, slot) DO UPDATE"
        + " SET messages = st.messages + excluded.messages, bytes = st.bytes + excluded.bytes";
    // 1 queue, 2-7 arrays, 8 channel, 9 payload
    outboxInsert = "WITH added AS (INSERT INTO " + messages + " (key, position, queue_id, state,"
        + " visible_at, attempts, id_high, id_low, sent_at, content_type, size, body)"
        + " SELECT x.k, x.k, ?, 0, x.v, 0, x.ih, x.il, x.s, x.ct, octet_length(x.b), x.b"
        + " FROM (SELECT " + keys + " AS k, t.* FROM unnest(?::int8[], ?::int8[], ?::int8[],"
        + " ?::int8[], ?::int2[], ?::bytea[]) AS t(v, ih, il, s, ct, b)) x RETURNING queue_id,"
        + " size),"
        + " counted AS (INSERT INTO " + s + ".queue_stats (queue_id, slot, messages, bytes)"
        + " SELECT queue_id, -nextval('" + s + ".outbox_slots'), count(*), sum(size) FROM added"
        + " GROUP BY queue_id RETURNING 1)"
        + " SELECT (SELECT count(*) FROM counted), pg_notify(?, ?)";
  }
}
