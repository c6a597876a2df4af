/**
 * The queues4j PostgreSQL store: {@link io.queues4j.postgres.PostgresStore}, a message store that
 * many engines share, and {@link io.queues4j.postgres.PostgresOutbox}, which sends inside the
 * caller's own transaction.
 */
@org.jspecify.annotations.NullMarked
@SuppressWarnings("requires-automatic") // the PostgreSQL driver is an automatic module
module io.queues4j.postgres {
  requires transitive io.queues4j.core;
  requires transitive java.sql;
  requires org.postgresql.jdbc;
  requires org.slf4j;
  requires static org.jspecify;

  exports io.queues4j.postgres;
}
