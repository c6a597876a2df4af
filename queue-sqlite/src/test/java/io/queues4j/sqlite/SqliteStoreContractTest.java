package io.queues4j.sqlite;

import io.queues4j.spi.MessageStore;
import io.queues4j.tck.DurableStoreContract;
import java.nio.file.Path;

/** The SQLite store, with its writer thread and group commit, passes the durable contract. */
class SqliteStoreContractTest extends DurableStoreContract {
  private Path file = Path.of("unset");

  @Override
  protected MessageStore openEmpty() {
    file = TempDatabases.fresh("contract");
    return SqliteStore.open(file);
  }

  @Override
  protected MessageStore reopen() {
    return SqliteStore.open(file);
  }
}
