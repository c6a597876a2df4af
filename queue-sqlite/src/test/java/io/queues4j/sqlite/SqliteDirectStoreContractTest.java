package io.queues4j.sqlite;

import io.queues4j.spi.MessageStore;
import io.queues4j.tck.DurableStoreContract;
import java.nio.file.Path;

/** The SQLite store in direct mode (no threads, a commit per operation) passes the contract. */
class SqliteDirectStoreContractTest extends DurableStoreContract {
  private Path file = Path.of("unset");

  @Override
  protected MessageStore openEmpty() {
    file = TempDatabases.fresh("direct-contract");
    return reopen();
  }

  @Override
  protected MessageStore reopen() {
    return SqliteStore.builder(file).durability(SqliteStore.Durability.NORMAL).direct(true).open();
  }
}
