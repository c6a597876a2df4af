package io.queues4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.core.QueueEngine;
import org.junit.jupiter.api.Test;

class StoreOptionTest {
  @Test
  void memoryIsTheEnginesOwnStore() {
    StoreOption memory = StoreOption.parse(" memory ");

    assertThat(memory.kind()).isEqualTo(StoreOption.Kind.MEMORY);
    assertThat(memory.durable()).isFalse();
    assertThat(memory).hasToString("memory");
    QueueEngine.Builder builder = QueueEngine.builder();
    memory.configure(builder);
    try (QueueEngine engine = builder.build()) {
      engine.declareQueue("q");
      assertThat(engine.queueNames()).containsExactly("q");
    }
  }

  @Test
  void theDurableStoresAreRefusedAsNotInThisBuild() {
    assertThatThrownBy(() -> StoreOption.parse("sqlite:/var/lib/queues4j/queues.db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("store 'sqlite:/var/lib/queues4j/queues.db' is not available in this build (it needs"
            + " the queue-sqlite module); available: memory");
    assertThatThrownBy(() -> StoreOption.parse("postgres:jdbc:postgresql://db/queues?user=q&password=hunter2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not available in this build (it needs the queue-postgres module)")
        .hasMessageContaining("password=***")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void anythingElseNamesTheThreeForms() {
    for (String bad : new String[] {"", "Memory", "sqlite:", "redis://x", "postgres:mysql://x"}) {
      assertThatThrownBy(() -> StoreOption.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("store must be memory, sqlite:<path> or postgres:<jdbc-url>")
          .hasMessageEndingWith("but was '" + bad.trim() + "'");
    }
  }

  @Test
  void redactsPasswordsInJdbcUrls() {
    assertThat(StoreOption.redact("postgres:jdbc:postgresql://app:s3cret@db:5432/q"))
        .isEqualTo("postgres:jdbc:postgresql://app:***@db:5432/q");
    assertThat(StoreOption.redact("jdbc:postgresql://db/q?password=x;user=y")).isEqualTo("jdbc:postgresql://db/q?password=***;user=y");
  }
}
