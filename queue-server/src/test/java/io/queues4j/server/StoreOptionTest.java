package io.queues4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.core.QueueEngine;
import io.queues4j.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreOptionTest {
  @TempDir Path dir;

  private Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("QUEUES4J_TOKENS", "acme/producer=" + Setup.TOKEN);
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private String wrangler() {
    return Setup.write(dir, "wrangler.toml", "[[queues.producers]]\nbinding = \"JOBS\"\nqueue = \"jobs\"\n").toString();
  }

  @Test
  void memoryIsTheEnginesOwnStore() {
    StoreOption memory = StoreOption.parse(" memory ");

    assertThat(memory.kind()).isEqualTo(StoreOption.Kind.MEMORY);
    assertThat(memory.durable()).isFalse();
    assertThat(memory).hasToString("memory");
    assertThat(memory.describe()).isEqualTo("memory (not durable: messages left at exit are lost)");
    QueueEngine.Builder builder = QueueEngine.builder();
    try (StoreOption.Opened opened = memory.open()) {
      assertThat(opened.store()).isNull();
      opened.configure(builder);
      try (QueueEngine engine = builder.build()) {
        engine.declareQueue("q");
        assertThat(engine.queueNames()).containsExactly("q");
      }
    }
  }

  @Test
  void theDefaultIsSqliteInTheWorkingDirectory() {
    StoreOption store = Setup.read(env(), "--config", wrangler()).settings().store();

    Path expected = Path.of("queues4j.db").toAbsolutePath().normalize();
    assertThat(store.kind()).isEqualTo(StoreOption.Kind.SQLITE);
    assertThat(store.durable()).isTrue();
    assertThat(store.location()).isEqualTo(expected.toString());
    assertThat(store.durability()).isEqualTo(SqliteStore.Durability.FULL);
    assertThat(store.describe()).isEqualTo("sqlite:" + expected + " (durable, FULL durability; one process at a"
        + " time, lock file " + expected + ".lock)");
    assertThat(Files.exists(expected)).as("reading the settings opens nothing").isFalse();
  }

  @Test
  void aSqlitePathIsMadeAbsoluteAndItsDirectoriesAreCreatedWhenOpened() throws Exception {
    Path file = dir.resolve("a/b/q.db");
    StoreOption store = StoreOption.parse("sqlite:" + file).withDurability(SqliteStore.Durability.NORMAL);
    assertThat(StoreOption.parse("sqlite:rel/q.db").location())
        .isEqualTo(Path.of("rel/q.db").toAbsolutePath().toString());
    assertThat(Files.exists(file.getParent())).isFalse();

    try (StoreOption.Opened opened = store.open()) {
      assertThat(opened.store()).isInstanceOfSatisfying(SqliteStore.class, s -> {
        assertThat(s.file()).isEqualTo(file);
        assertThat(s.durability()).isEqualTo(SqliteStore.Durability.NORMAL);
      });
    }
    assertThat(file).isRegularFile();
  }

  @Test
  void aLockedSqliteFileFailsToOpenNamingTheFile() {
    StoreOption store = StoreOption.parse("sqlite:" + dir.resolve("q.db"));
    try (StoreOption.Opened first = store.open()) {
      assertThat(first.store()).isNotNull();
      assertThatThrownBy(store::open).isInstanceOf(io.queues4j.spi.StoreException.class)
          .hasMessageContaining(dir.resolve("q.db").toString());
    }
  }

  @Test
  void anUnreachableDatabaseFailsToOpenNamingTheStore() {
    StoreOption store = StoreOption.parse("postgres:jdbc:postgresql://127.0.0.1:1/queues?user=q")
        .withPostgres("queues4j", "hunter2", 2);

    assertThatThrownBy(store::open).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("store postgres:jdbc:postgresql://127.0.0.1:1/queues?user=q cannot connect: ")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void badStoresNameTheFormsAndTheValue() {
    for (String bad : new String[] {"", "Memory", "redis://x", "postgres:mysql://x", "sqlite"}) {
      assertThatThrownBy(() -> StoreOption.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("store must be memory, sqlite:<path> or postgres:<jdbc-url>")
          .hasMessageEndingWith("but was '" + bad.trim() + "'");
    }
    assertThatThrownBy(() -> StoreOption.parse("sqlite: "))
        .hasMessage("store sqlite: needs the database file's path, e.g. sqlite:queues4j.db but was 'sqlite:'");
    assertThatThrownBy(() -> StoreOption.parse("sqlite:" + dir))
        .hasMessage("store sqlite:<path> must name a file, but " + dir + " is a directory (try sqlite:"
            + dir.resolve("queues4j.db") + ")");
    assertThatThrownBy(() -> StoreOption.parse("sqlite:a\0b")).hasMessageStartingWith(
        "store sqlite:<path> needs a valid path but was 'sqlite:a?b'");
    assertThatThrownBy(() -> StoreOption.parse("postgres:jdbc:postgresql:"))
        .hasMessageStartingWith("store postgres:<jdbc-url> needs a database");
  }

  @Test
  void aPasswordInThePostgresUrlIsRefusedAndNeverPrinted() {
    for (String url : new String[] {"postgres:jdbc:postgresql://db/queues?user=q&password=hunter2",
        "postgres:jdbc:postgresql://q:hunter2@db/queues"}) {
      assertThatThrownBy(() -> StoreOption.parse(url))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must not hold a password")
          .hasMessageContaining("set QUEUES4J_POSTGRES_PASSWORD instead")
          .hasMessageNotContaining("hunter2");
    }
    assertThatThrownBy(() -> StoreOption.parse("mysql://q:hunter2@db")).hasMessageNotContaining("hunter2");
  }

  @Test
  void postgresSettingsComeFromFlagsVariablesAndTheFile() {
    Path file = Setup.write(dir, "wrangler.toml", """
        [[queues.producers]]
        binding = "JOBS"
        queue = "jobs"

        [queues4j.server]
        store = "postgres:jdbc:postgresql://db:5432/queues?user=q"

        [queues4j.server.postgres]
        schema = "from_file"
        password_env = "DB_PASSWORD"
        max_connections = 8
        """);
    StoreOption fromFile = Setup.read(env("DB_PASSWORD", "s3cret"), "--config", file.toString()).settings().store();
    StoreOption fromFlags = Setup.read(env("DB_PASSWORD", "s3cret", "QUEUES4J_POSTGRES_SCHEMA", "from_env"),
        "--config", file.toString(), "--postgres-max-connections", "3").settings().store();

    assertThat(fromFile.kind()).isEqualTo(StoreOption.Kind.POSTGRES);
    assertThat(fromFile.location()).isEqualTo("jdbc:postgresql://db:5432/queues?user=q");
    assertThat(fromFile.schema()).isEqualTo("from_file");
    assertThat(fromFile.maxConnections()).isEqualTo(8);
    assertThat(fromFile.hasPassword()).isTrue();
    assertThat(fromFile.describe()).isEqualTo("postgres:jdbc:postgresql://db:5432/queues?user=q (durable, schema"
        + " from_file, pool of 8 connections, password from QUEUES4J_POSTGRES_PASSWORD; shared by every server on"
        + " the schema)").doesNotContain("s3cret");
    assertThat(fromFlags.schema()).isEqualTo("from_env");
    assertThat(fromFlags.maxConnections()).isEqualTo(3);
    StoreOption defaults = StoreOption.parse("postgres:jdbc:postgresql://db/q");
    assertThat(defaults.schema()).isEqualTo("queues4j");
    assertThat(defaults.maxConnections()).isEqualTo(5);
    assertThat(defaults.hasPassword()).isFalse();
  }

  @Test
  void badStoreSettingsAreProblemsWithTheirPlace() {
    Path file = Setup.write(dir, "wrangler.toml", """
        [[queues.producers]]
        binding = "JOBS"
        queue = "jobs"

        [queues4j.server.postgres]
        password_env = "DB_PASSWORD"
        """);
    Setup.Read missingPassword = Setup.read(env(), "--config", file.toString(), "--store",
        "postgres:jdbc:postgresql://db/q");
    Setup.Read bad = Setup.read(env("QUEUES4J_SQLITE_DURABILITY", "fast", "QUEUES4J_POSTGRES_SCHEMA", "Bad-Name"),
        "--config", wrangler(), "--postgres-max-connections", "1");
    Setup.Read otherStore = Setup.read(env("QUEUES4J_SQLITE_DURABILITY", "normal", "QUEUES4J_POSTGRES_PASSWORD", "pw"),
        "--config", wrangler(), "--store", "postgres:jdbc:postgresql://db/q", "--postgres-schema", "s");
    Setup.Read memory = Setup.read(env(), "--config", wrangler(), "--store", "memory", "--postgres-schema", "s");

    assertThat(missingPassword.messages()).containsExactly(
        file + ":6: queues4j.server.postgres.password_env: names the variable DB_PASSWORD, which is not set");
    assertThat(bad.messages()).containsExactly(
        "environment: QUEUES4J_SQLITE_DURABILITY: must be FULL or NORMAL but was 'fast'",
        "environment: QUEUES4J_POSTGRES_SCHEMA: must be 1 to 48 lowercase letters, digits and _, not starting with"
            + " a digit, but was 'Bad-Name'",
        "command line: --postgres-max-connections: must be a whole number from 2 to 65 but was 1");
    assertThat(otherStore.messages()).containsExactly(
        "environment: QUEUES4J_SQLITE_DURABILITY: is a setting of a sqlite: store, but the store is"
            + " postgres:jdbc:postgresql://db/q; remove it or change the store");
    assertThat(otherStore.settings().store().hasPassword()).isTrue();
    assertThat(memory.messages()).containsExactly(
        "command line: --postgres-schema: is a setting of a postgres: store, but the store is memory; remove it"
            + " or change the store");
  }

  @Test
  void aBadStoreIsOneProblemAndTheMemoryStoreStandsIn() {
    Setup.Read read = Setup.read(env("QUEUES4J_SQLITE_DURABILITY", "NORMAL"), "--config", wrangler(),
        "--store", "sqlite:");

    assertThat(read.messages()).containsExactly("command line: --store: store sqlite: needs the database file's"
        + " path, e.g. sqlite:queues4j.db but was 'sqlite:'");
    assertThat(read.settings().store()).isSameAs(StoreOption.MEMORY);
  }

  @Test
  void redactsPasswordsInJdbcUrls() {
    assertThat(StoreOption.redact("postgres:jdbc:postgresql://app:s3cret@db:5432/q"))
        .isEqualTo("postgres:jdbc:postgresql://app:***@db:5432/q");
    assertThat(StoreOption.redact("jdbc:postgresql://db/q?password=x;user=y")).isEqualTo("jdbc:postgresql://db/q?password=***;user=y");
  }
}
