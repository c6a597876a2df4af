package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.Queue;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The jars export only their API packages (the engine's and the storage SPI's), and the core
 * package exposes only its contract.
 */
class ModuleTest {

  private static ModuleDescriptor descriptor(Class<?> type) throws Exception {
    Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    return ModuleFinder.of(location).findAll().iterator().next().descriptor();
  }

  @Test
  void apiAndCoreExportOnePackageEach() throws Exception {
    ModuleDescriptor api = descriptor(Queue.class);
    assertThat(api.name()).isEqualTo("io.queues4j");
    assertThat(api.exports()).extracting(ModuleDescriptor.Exports::source)
        .containsExactly("io.queues4j");
    ModuleDescriptor core = descriptor(QueueEngine.class);
    assertThat(core.name()).isEqualTo("io.queues4j.core");
    assertThat(core.exports()).extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder("io.queues4j.core", "io.queues4j.spi");
  }

  @Test
  void onlyTheContractIsPublicInCore() throws Exception {
    Set<String> expected = Set.of("QueueEngine", "ConsumerSettings", "QueueSettings",
        "QueueLimits", "QueueStats", "DeadLetter", "ShutdownReport", "Scheduler",
        "QueueListener", "QueueEvent", "InMemoryStore", "QueueAdmin", "PullSettings", "PullConsumer",
        "PulledMessage", "Claim", "ClaimResult", "MessageStore",
        "QueueStore", "SettleResult", "Settlement", "StoreException", "StoredMessage");
    Set<String> publicTypes = descriptor(QueueEngine.class).packages().stream()
        .flatMap(p -> classesOf(p).stream())
        .filter(c -> Modifier.isPublic(c.getModifiers()) && c.getEnclosingClass() == null)
        .map(Class::getSimpleName)
        .collect(Collectors.toSet());
    assertThat(publicTypes).isEqualTo(expected);
  }

  private static Set<Class<?>> classesOf(String pkg) {
    try {
      Path dir = Path.of(QueueEngine.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI()).resolve(pkg.replace('.', '/'));
      try (var files = java.nio.file.Files.list(dir)) {
        return files.map(f -> f.getFileName().toString())
            .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.equals("module-info.class")
                && !n.equals("package-info.class"))
            .map(n -> load(pkg + "." + n.substring(0, n.length() - ".class".length())))
            .collect(Collectors.toSet());
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
