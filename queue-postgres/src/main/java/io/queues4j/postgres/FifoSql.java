package io.queues4j.postgres;

/**
 * The statements of FIFO queues (schema version 2), written once per schema; {@link FifoRows}
 * runs them. See docs/POSTGRES.md, "FIFO queues", for why they are safe when engines share a
 * queue: every transaction that changes a group's waiting or claimed rows first locks the group's
 * {@code fifo_groups} row (claims with {@code SKIP LOCKED}, so they never wait), and always in
 * (queue, group) order.
 */
final class FifoSql {
  final String lockGroups;
  final String recompute;
  final String pick;
  final String run;
  final String take;
  final String nextVisible;
  final String dedupe;
  final String originals;
  final String insert;
  final String sweep;
  final String expireCandidates;
  final String expire;
  final String queueGroups;
  final String heldGroups;
  final String ownedGroups;

  FifoSql(String schema) {
    String s = '"' + schema + '"';
    String messages = s + ".messages";
    String groups = s + ".fifo_groups";
    String dedup = s + ".fifo_dedup";
    // 1 queue ids, 2 group ids: inserts a placeholder row or locks the existing one, in (queue,
    // group) order; recompute (in the same transaction) sets or deletes it
    lockGroups = "INSERT INTO " + groups + " AS g (queue_id, group_id, next_at, head_key, held)"
        + " SELECT DISTINCT t.q, t.g, " + Long.MAX_VALUE + ", " + Long.MAX_VALUE + ", false"
        + " FROM unnest(?::int4[], ?::text[]) AS t(q, g) ORDER BY t.q, t.g"
        + " ON CONFLICT (queue_id, group_id) DO UPDATE SET held = g.held";
    // 1 queue ids, 2 group ids (rows locked by lockGroups): the group's state from its messages
    String state = "h AS (SELECT DISTINCT ON (t.q, t.g) t.q, t.g, c.until, c.first,"
        + " w.visible_at, w.key FROM unnest(?::int4[], ?::text[]) AS t(q, g)"
        + " LEFT JOIN LATERAL (SELECT max(m.lease_until) AS until, min(m.key) AS first FROM "
        + messages + " m WHERE m.queue_id = t.q AND m.group_id = t.g AND m.state = 1) c ON true"
        + " LEFT JOIN LATERAL (SELECT m.visible_at, m.key FROM " + messages + " m"
        + " WHERE m.queue_id = t.q AND m.group_id = t.g AND m.state = 0 ORDER BY m.key LIMIT 1)"
        + " w ON true)";
    recompute = "WITH " + state + ","
        + " gone AS (DELETE FROM " + groups + " d USING h WHERE d.queue_id = h.q"
        + " AND d.group_id = h.g AND h.first IS NULL AND h.key IS NULL RETURNING 1),"
        + " kept AS (UPDATE " + groups + " u SET held = h.first IS NOT NULL,"
        + " next_at = CASE WHEN h.first IS NOT NULL THEN h.until ELSE h.visible_at END,"
        + " head_key = coalesce(h.first, h.key) FROM h WHERE u.queue_id = h.q"
        + " AND u.group_id = h.g AND (h.first IS NOT NULL OR h.key IS NOT NULL) RETURNING 1)"
        + " SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM kept)";
    // 1 queue, 2 now: the claimable group whose first message became visible first
    pick = "SELECT group_id FROM " + groups + " WHERE queue_id = ? AND next_at <= ?"
        + " ORDER BY next_at, head_key LIMIT 1 FOR UPDATE SKIP LOCKED";
    // 1 queue, 2 group, 3 max: the group's first rows in send order
    run = "SELECT key, state, visible_at FROM " + messages
        + " WHERE queue_id = ? AND group_id = ? AND state < 2 ORDER BY key LIMIT ? FOR UPDATE";
    // 1 leaseUntil, 2 owner, 3 keys, 4 queue
    take = "WITH token AS (SELECT nextval('" + s + ".leases') AS lease,"
        + " set_config('synchronous_commit', 'off', true) AS lazy)"
        + " UPDATE " + messages + " m SET state = 1, attempts = m.attempts + 1,"
        + " lease = token.lease, lease_until = ?, owner = ? FROM token"
        + " WHERE m.key = ANY(?::int8[]) AND m.queue_id = ?"
        + " RETURNING m.lease, " + Sql.MESSAGE_COLUMNS;
    // 1 queue
    nextVisible = "SELECT next_at FROM " + groups + " WHERE queue_id = ? AND NOT held"
        + " ORDER BY next_at LIMIT 1";
    // 1 queue, 2 now, 3 groups, 4 keys, 5 id highs, 6 id lows, 7 added at or before: expired
    dedupe = "INSERT INTO " + dedup + " AS d (queue_id, group_id, dedupe_key, id_high, id_low,"
        + " added_at) SELECT ?, t.g, t.k, t.ih, t.il, ?::int8 FROM unnest(?::text[], ?::text[],"
        + " ?::int8[], ?::int8[]) AS t(g, k, ih, il)"
        + " ON CONFLICT (queue_id, group_id, dedupe_key) DO UPDATE SET id_high = excluded.id_high,"
        + " id_low = excluded.id_low, added_at = excluded.added_at WHERE d.added_at <= ?"
        + " RETURNING d.group_id, d.dedupe_key";
    // 1 groups, 2 keys, 3 queue
    originals = "SELECT d.group_id, d.dedupe_key, d.id_high, d.id_low FROM " + dedup + " d"
        + " JOIN unnest(?::text[], ?::text[]) AS t(g, k) ON d.group_id = t.g AND d.dedupe_key = t.k"
        + " WHERE d.queue_id = ?";
    String keys = "nextval('" + s + ".message_keys')";
    // 1 queue, 2-7 as Sql.insert, 8 groups, 9 keys
    insert = "INSERT INTO " + messages + " (key, position, queue_id, state, visible_at, attempts,"
        + " id_high, id_low, sent_at, content_type, size, body, group_id, dedupe_key)"
        + " SELECT x.k, x.k, ?, 0, x.v, 0, x.ih, x.il, x.s, x.ct, octet_length(x.b), x.b, x.g,"
        + " x.d FROM (SELECT " + keys + " AS k, t.* FROM unnest(?::int8[], ?::int8[], ?::int8[],"
        + " ?::int8[], ?::int2[], ?::bytea[], ?::text[], ?::text[])"
        + " AS t(v, ih, il, s, ct, b, g, d)) x";
    // 1 queue, 2 added at or before, 3 max; never waits for a send that is renewing a record
    sweep = "DELETE FROM " + dedup + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + dedup
        + " WHERE queue_id = ? AND added_at <= ? ORDER BY added_at LIMIT ?"
        + " FOR UPDATE SKIP LOCKED))";
    // 1 queue, 2 sent before, 3 max
    expireCandidates = "SELECT key, group_id FROM " + messages
        + " WHERE queue_id = ? AND sent_at < ? AND state <> 1 ORDER BY sent_at, key LIMIT ?";
    // 1 keys, 2 queue, 3 sent before
    expire = "DELETE FROM " + messages + " m WHERE m.key = ANY(?::int8[]) AND m.queue_id = ?"
        + " AND m.sent_at < ? AND m.state <> 1 RETURNING m.size, " + Sql.MESSAGE_COLUMNS;
    // 1 queue
    queueGroups = "SELECT group_id FROM " + groups + " WHERE queue_id = ?";
    heldGroups = "SELECT DISTINCT group_id FROM " + messages
        + " WHERE queue_id = ? AND state = 2 AND group_id IS NOT NULL";
    // 1 queue ids, 2 owner
    ownedGroups = "SELECT DISTINCT queue_id, group_id FROM " + messages
        + " WHERE queue_id = ANY(?::int4[]) AND state = 1 AND owner = ? AND group_id IS NOT NULL";
  }
}
