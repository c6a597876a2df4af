package io.queues4j.server;

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

/** The jar exports one package, whose only public type is the command. */
class ModuleTest {
  private static Path classes() throws Exception {
    return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @Test
  void exportsOnlyItsPackage() throws Exception {
    ModuleDescriptor d = ModuleFinder.of(classes()).findAll().iterator().next().descriptor();

    assertThat(d.name()).isEqualTo("io.queues4j.server");
    assertThat(d.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("io.queues4j.server");
  }

  @Test
  void onlyMainIsPublic() throws Exception {
    Set<String> publicTypes;
    try (Stream<Path> files = Files.list(classes().resolve("io/queues4j/server"))) {
      publicTypes = files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.startsWith("package-info"))
          .map(n -> load("io.queues4j.server." + n.substring(0, n.length() - 6)))
          .filter(c -> Modifier.isPublic(c.getModifiers()))
          .map(Class::getSimpleName)
          .collect(Collectors.toSet());
    }

    assertThat(publicTypes).containsExactly("Main");
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
