package io.queues4j.tck;

import io.queues4j.core.InMemoryStore;
import io.queues4j.spi.MessageStore;

/** The in-memory store passes the FIFO contract. */
class InMemoryFifoStoreContractTest extends FifoStoreContract {
  @Override
  protected MessageStore openEmpty() {
    return InMemoryStore.create();
  }
}
