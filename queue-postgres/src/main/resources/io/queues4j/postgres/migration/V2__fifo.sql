-- queues4j PostgreSQL store, schema version 2: FIFO queues (names ending in .fifo).
--
-- Runs with search_path set to the store's schema, after V1. Adds nullable columns (no table
-- rewrite), two tables and their indexes; existing rows and queues are unchanged.

-- A FIFO queue's message belongs to a group and carries its deduplication key; both stay with it
-- across dead-letter moves. NULL on standard queues.
ALTER TABLE messages ADD COLUMN group_id text, ADD COLUMN dedupe_key text;

-- A group's waiting and claimed messages in key (= send) order: a claim's run, a group's head.
CREATE INDEX messages_fifo ON messages (queue_id, group_id, key)
  WHERE state < 2 AND group_id IS NOT NULL;
-- A group's claimed messages: whether the group is held, and until when.
CREATE INDEX messages_fifo_claimed ON messages (queue_id, group_id)
  WHERE state = 1 AND group_id IS NOT NULL;

-- One row per group that has waiting or claimed messages: the row a claimer locks (FOR UPDATE
-- SKIP LOCKED) to take the group, and every other writer of the group's messages locks first.
-- held: some message of the group is claimed; next_at is then the latest lease end of its claims
-- (claimable again once that passed), otherwise the visible_at of its first waiting message.
-- head_key: the key of its first claimed or waiting message (ties of next_at go by send order).
CREATE TABLE fifo_groups (
  queue_id integer NOT NULL,
  group_id text NOT NULL,
  next_at bigint NOT NULL,
  head_key bigint NOT NULL,
  held boolean NOT NULL,
  PRIMARY KEY (queue_id, group_id)
) WITH (
  fillfactor = 70,
  autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_threshold = 10000,
  autovacuum_vacuum_cost_delay = 0
);

-- The claimable groups of a queue, the one whose first message became visible first, first.
CREATE INDEX fifo_groups_next ON fifo_groups (queue_id, next_at, head_key);

-- Deduplication records: the first message stored under a (queue, group, key) within the window,
-- and when it was added (the engine's time). They outlive the message; expired rows are deleted
-- in batches by a background operation of the store.
CREATE TABLE fifo_dedup (
  queue_id integer NOT NULL,
  group_id text NOT NULL,
  dedupe_key text NOT NULL,
  id_high bigint NOT NULL,
  id_low bigint NOT NULL,
  added_at bigint NOT NULL,
  PRIMARY KEY (queue_id, group_id, dedupe_key)
) WITH (
  autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_threshold = 10000,
  autovacuum_vacuum_cost_delay = 0
);

-- Expiry of old records, oldest first.
CREATE INDEX fifo_dedup_added ON fifo_dedup (queue_id, added_at);
