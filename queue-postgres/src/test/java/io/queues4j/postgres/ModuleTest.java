package io.queues4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The jar exports one package whose only public types are the store, its builder, the outbox. */
class ModuleTest {

  private static Path classes() throws Exception {
    return Path.of(PostgresStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @Test
  void theModuleExportsOnlyItsApiPackage() throws Exception {
    ModuleDescriptor descriptor = ModuleFinder.of(classes()).findAll().iterator().next()
        .descriptor();
    assertThat(descriptor.name()).isEqualTo("io.queues4j.postgres");
    assertThat(descriptor.exports()).extracting(ModuleDescriptor.Exports::source)
        .containsExactly("io.queues4j.postgres");
  }

  @Test
  void onlyTheStoreAndTheOutboxArePublic() throws Exception {
    Set<String> publicTypes;
    try (Stream<Path> files = Files.list(classes().resolve("io/queues4j/postgres"))) {
      publicTypes = files.map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.startsWith("package-info"))
          .map(n -> load("io.queues4j.postgres." + n.substring(0, n.length() - 6)))
          .filter(c -> Modifier.isPublic(c.getModifiers()))
          .map(Class::getSimpleName)
          .collect(Collectors.toSet());
    }
    assertThat(publicTypes).containsExactlyInAnyOrder("PostgresStore", "PostgresOutbox");
    assertThat(classes().resolve("io/queues4j/postgres/migration/V1__queues4j.sql"))
        .as("the migration script, where docs/POSTGRES.md says it is").exists();
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
