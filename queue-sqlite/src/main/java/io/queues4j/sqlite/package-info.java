/**
 * A durable message store for the queues4j engine in one embedded SQLite database file: {@link
 * io.queues4j.sqlite.SqliteStore} (open it, or configure it with its builder, and pass it to
 * {@code QueueEngine.builder().store(...)}). Its failures are {@link
 * io.queues4j.sqlite.SqliteStoreException}s. Everything else in the package is internal.
 *
 * <p>Design: one connection, used by one writer thread that group-commits the operations of all
 * queues; per-queue counters in memory, the messages only in the database; the schema and its
 * migrations in {@code Schema}.
 */
@NullMarked
package io.queues4j.sqlite;

import org.jspecify.annotations.NullMarked;
