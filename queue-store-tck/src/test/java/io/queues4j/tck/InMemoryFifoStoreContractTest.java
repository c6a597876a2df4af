package io.queues4j.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.QueueContentType;
import io.queues4j.core.InMemoryStore;
import io.queues4j.spi.Claim;
import io.queues4j.spi.MessageStore;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory store passes the FIFO contract. */
class InMemoryFifoStoreContractTest extends FifoStoreContract {
  @Override
  protected MessageStore openEmpty() {
    return InMemoryStore.create();
  }

  @Test
  void claimsAsManyGroupsAsAskedInOneCall() {
    QueueStore q = store.queue("jobs.fifo");
    List<StoredMessage> messages = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String body = "g" + (i % 4) + "-" + i;
      messages.add(StoredMessage.of(1, i, T0, body.getBytes(StandardCharsets.UTF_8),
          QueueContentType.TEXT, T0, 0, "g" + (i % 4), body));
    }
    MessageStoreContract.join(q.addDeduplicated(messages, T0, 300_000));
    List<Claim> claims = MessageStoreContract.join(q.claimGroups(3, 2, T0, T0 + 60_000)).claims();
    assertThat(claims).extracting(c -> new String(c.message().body(), StandardCharsets.UTF_8))
        .containsExactly("g0-0", "g0-4", "g1-1", "g1-5", "g2-2", "g2-6");
  }
}
