/**
 * A {@link io.queues4j.spi.MessageStore} in PostgreSQL shared by many engines ({@link
 * io.queues4j.postgres.PostgresStore}) and a transactional outbox on it ({@link
 * io.queues4j.postgres.PostgresOutbox}). docs/POSTGRES.md describes the tables, the claim and
 * lease rules, wake-ups, connections and operations.
 *
 * <p>Everything but those two classes and the store's builder is package-private.
 */
@NullMarked
package io.queues4j.postgres;

import org.jspecify.annotations.NullMarked;
