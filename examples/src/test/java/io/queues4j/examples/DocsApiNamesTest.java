package io.queues4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.core.QueueEngine;
import io.queues4j.testkit.BatchRunner;
import io.queues4j.testkit.QueueTestKit;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and docs/*.md call only methods that exist: every {@code engine.name(},
 * {@code QueueEngine.builder().name(}, {@code kit.name(} and {@code runner.name(} they mention is a
 * public method of that type (so a doc cannot say {@code engine.close(grace)} for {@code
 * shutdown(grace)}).
 */
class DocsApiNamesTest {
  private static final Map<String, Class<?>> RECEIVERS =
      Map.of(
          "engine.", QueueEngine.class,
          "QueueEngine.builder().", QueueEngine.Builder.class,
          "kit.", QueueTestKit.class,
          "runner.", BatchRunner.class);

  private final Path root =
      Path.of(System.getProperty("queues4j.readme", "../README.md"))
          .toAbsolutePath()
          .normalize()
          .resolveSibling(".")
          .normalize();

  private List<Path> documents() throws IOException {
    List<Path> documents = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
    }
    return documents;
  }

  @Test
  void everyMethodTheDocsCallExists() throws IOException {
    List<String> checked = new ArrayList<>();
    for (Path document : documents()) {
      String text = Files.readString(document);
      for (Map.Entry<String, Class<?>> receiver : RECEIVERS.entrySet()) {
        Matcher call =
            Pattern.compile("(?<![\\w.])" + Pattern.quote(receiver.getKey()) + "(\\w+)\\(")
                .matcher(text);
        while (call.find()) {
          String name = call.group(1);
          assertThat(hasPublicMethod(receiver.getValue(), name))
              .as("%s mentions %s%s(: %s has no such public method",
                  root.relativize(document), receiver.getKey(), name,
                  receiver.getValue().getSimpleName())
              .isTrue();
          checked.add(receiver.getKey() + name);
        }
      }
    }
    assertThat(checked).contains("engine.stats", "kit.runUntilIdle", "engine.queue");
  }

  @Test
  void shutdownIsCalledShutdownNotClose() throws IOException {
    for (Path document : documents()) {
      assertThat(Files.readString(document))
          .as("%s", root.relativize(document))
          .doesNotContain("close(grace")
          .doesNotContain("close(Duration");
    }
    assertThat(hasPublicMethod(QueueEngine.class, "shutdown")).isTrue();
  }

  private static boolean hasPublicMethod(Class<?> type, String name) {
    Method[] methods = type.getMethods();
    return Arrays.stream(methods)
        .anyMatch(m -> m.getName().equals(name) && Modifier.isPublic(m.getModifiers()));
  }
}
