package io.queues4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/LOGGING.md names every logger the project's main code creates, and all main code logs
 * through SLF4J.
 */
class LoggingDocTest {
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");
  private static final Pattern LOGGER =
      Pattern.compile("LoggerFactory\\.getLogger\\((\\w+)\\.class\\)");

  private final Path root =
      Path.of(System.getProperty("queues4j.readme", "../README.md"))
          .toAbsolutePath()
          .normalize()
          .resolveSibling(".")
          .normalize();

  private List<Path> mainSources() throws IOException {
    try (Stream<Path> files = Files.walk(root, 8)) {
      return files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> root.relativize(p).toString().contains("src/main/java/"))
          .filter(p -> !root.relativize(p).startsWith("target"))
          .toList();
    }
  }

  @Test
  void everyLoggerIsDocumented() throws IOException {
    Set<String> loggers = new TreeSet<>();
    for (Path source : mainSources()) {
      String text = Files.readString(source);
      Matcher logger = LOGGER.matcher(text);
      while (logger.find()) {
        Matcher pkg = PACKAGE.matcher(text);
        assertThat(pkg.find()).as("package of %s", source).isTrue();
        loggers.add(pkg.group(1) + "." + logger.group(1));
      }
    }
    String doc = Files.readString(root.resolve("docs/LOGGING.md"));

    assertThat(loggers).contains("io.queues4j.VerdictAdapter", "io.queues4j.core.QueueEngine");
    assertThat(loggers).allSatisfy(name -> assertThat(doc).contains("`" + name + "`"));
  }

  @Test
  void mainCodeLogsOnlyThroughSlf4j() throws IOException {
    List<Path> sources = mainSources();

    assertThat(sources).hasSizeGreaterThan(50);
    assertThat(sources)
        .allSatisfy(
            source ->
                assertThat(Files.readString(source))
                    .as("%s", root.relativize(source))
                    .doesNotContain("System.getLogger", "java.util.logging"));
  }
}
