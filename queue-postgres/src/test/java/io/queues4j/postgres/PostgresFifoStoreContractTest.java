package io.queues4j.postgres;

import io.queues4j.spi.MessageStore;
import io.queues4j.tck.FifoStoreContract;

/** The FIFO storage contract, on PostgreSQL in the store's real (asynchronous) mode. */
class PostgresFifoStoreContractTest extends FifoStoreContract {
  @Override
  protected MessageStore openEmpty() {
    return PostgresStore.builder(TestDatabase.dataSource()).schema(TestDatabase.freshSchema())
        .build();
  }
}
