package io.queues4j.postgres;

import io.queues4j.spi.MessageStore;
import io.queues4j.tck.DurableStoreContract;

/** The storage contract, on PostgreSQL in the store's real (asynchronous) mode, a schema a test. */
class PostgresStoreContractTest extends DurableStoreContract {
  private String schema = "";

  @Override
  protected MessageStore openEmpty() {
    schema = TestDatabase.freshSchema();
    return reopen();
  }

  @Override
  protected MessageStore reopen() {
    return PostgresStore.builder(TestDatabase.dataSource()).schema(schema).build();
  }
}
