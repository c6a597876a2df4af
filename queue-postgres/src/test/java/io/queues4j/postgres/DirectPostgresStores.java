package io.queues4j.postgres;

import io.queues4j.spi.MessageStore;

/**
 * The factory the engine's behaviour suites (queue-core's test-jar) use on this module's test run
 * ({@code -Dqueues4j.test.store=io.queues4j.postgres.DirectPostgresStores}): a fresh schema per
 * engine, in direct mode, since those suites run the engine on virtual time with a
 * single-threaded deferred executor and need every store operation to complete on the calling
 * thread. Its sessions commit lazily ({@link TestDatabase#lazyCommitDataSource}): those suites
 * test the engine's semantics, and durability is tested elsewhere.
 */
public final class DirectPostgresStores {
  private DirectPostgresStores() {}

  /**
   * Opens a store on a fresh schema, in direct mode.
   *
   * @return the store
   */
  public static MessageStore create() {
    return PostgresStore.builder(TestDatabase.lazyCommitDataSource())
        .schema(TestDatabase.freshSchema())
        .direct()
        .build();
  }
}
