package io.queues4j.tck;

import io.queues4j.core.InMemoryStore;
import io.queues4j.spi.MessageStore;

/** The in-memory store passes the store contract. */
class InMemoryStoreContractTest extends MessageStoreContract {
  @Override
  protected MessageStore openEmpty() {
    return InMemoryStore.create();
  }
}
