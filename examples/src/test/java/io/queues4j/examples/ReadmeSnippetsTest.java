package io.queues4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Checks that every code block the README quotes from the examples is still a verbatim copy of
 * the compiled source. A README block follows a marker line {@code <!-- snippet: path#region -->};
 * the source region sits between {@code // @start region=name} and {@code // @end region=name}.
 */
class ReadmeSnippetsTest {
  private static final Pattern MARKER =
      Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->\\n```java\\n(.*?)```", Pattern.DOTALL);

  private final Path readme =
      Path.of(System.getProperty("queues4j.readme", "../README.md")).toAbsolutePath().normalize();
  private final Path repository = readme.resolveSibling(".");

  @Test
  void everyQuotedSnippetMatchesItsSource() throws IOException {
    assertThat(checkSnippets(readme)).hasSizeGreaterThanOrEqualTo(5);
    assertThat(checkSnippets(repository.resolve("docs/TESTING.md"))).hasSizeGreaterThanOrEqualTo(4);
  }

  private List<String> checkSnippets(Path document) throws IOException {
    String text = Files.readString(document, StandardCharsets.UTF_8);
    Matcher m = MARKER.matcher(text);
    List<String> checked = new ArrayList<>();
    while (m.find()) {
      Path source = repository.resolve(m.group(1));
      assertThat(m.group(3))
          .as("%s block for %s#%s; copy the source region into it",
              document.getFileName(), m.group(1), m.group(2))
          .isEqualTo(region(source, m.group(2)));
      checked.add(m.group(2));
    }
    return checked;
  }

  @Test
  void readmeGivesTheDemoCommandAndTheTestCommand() throws IOException {
    String text = Files.readString(readme, StandardCharsets.UTF_8);

    assertThat(text)
        .contains(
            "mvn -B -q -pl examples -am package -DskipTests && java -jar"
                + " examples/target/queues4j-demo.jar")
        .contains("```sh\nmvn -B verify\n```")
        .contains("## Testing your queue code");
  }

  /** Returns the lines between the region's markers, less their common indentation. */
  private static String region(Path source, String name) throws IOException {
    List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
    int start = indexOf(lines, "// @start region=" + name, source);
    int end = indexOf(lines, "// @end region=" + name, source);
    List<String> body = lines.subList(start + 1, end);
    int indent =
        body.stream()
            .filter(line -> !line.isBlank())
            .mapToInt(line -> line.length() - line.stripLeading().length())
            .min()
            .orElse(0);
    StringBuilder out = new StringBuilder();
    for (String line : body) {
      out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    return out.toString();
  }

  private static int indexOf(List<String> lines, String marker, Path source) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals(marker)) {
        return i;
      }
    }
    throw new AssertionError("no '" + marker + "' in " + source);
  }
}
