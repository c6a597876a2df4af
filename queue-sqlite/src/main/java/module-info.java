/**
 * The queues4j SQLite store: {@link io.queues4j.sqlite.SqliteStore}, a durable message store in
 * one embedded SQLite file.
 */
@org.jspecify.annotations.NullMarked
module io.queues4j.sqlite {
  requires transitive io.queues4j.core;
  requires org.xerial.sqlitejdbc;
  requires java.sql;
  requires org.slf4j;
  requires static org.jspecify;

  exports io.queues4j.sqlite;
}
