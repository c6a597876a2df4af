package io.queues4j.sqlite;

import io.queues4j.spi.MessageStore;
import io.queues4j.tck.FifoStoreContract;

/** The SQLite store, with its writer thread and group commit, passes the FIFO contract. */
class SqliteFifoStoreContractTest extends FifoStoreContract {
  @Override
  protected MessageStore openEmpty() {
    return SqliteStore.open(TempDatabases.fresh("fifo-contract"));
  }
}
