package io.queues4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the README and docs/*.md leads somewhere: the file exists and, for a
 * {@code #fragment}, the target has a heading with that GitHub anchor. Links to other sites are
 * not followed (the build does not reach them).
 */
class DocsLinksTest {
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");
  private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```");

  private final Path root =
      Path.of(System.getProperty("queues4j.readme", "../README.md")).toAbsolutePath().normalize()
          .resolveSibling(".").normalize();

  @Test
  void everyRelativeLinkAndAnchorResolves() throws IOException {
    List<Path> documents = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
    }
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path document : documents) {
      String text = FENCE.matcher(Files.readString(document)).replaceAll("");
      Matcher link = LINK.matcher(text);
      while (link.find()) {
        String target = link.group(1);
        if (target.matches("^[a-z]+:.*")) {
          continue; // https:, mailto:
        }
        checked++;
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? document : document.resolveSibling(file).normalize();
        if (!Files.exists(resolved)) {
          broken.add(root.relativize(document) + ": " + target + " (no such file)");
        } else if (hash >= 0 && resolved.toString().endsWith(".md")
            && !anchors(resolved).contains(target.substring(hash + 1))) {
          broken.add(root.relativize(document) + ": " + target + " (no such heading)");
        }
      }
    }
    assertThat(checked).as("relative links found").isGreaterThan(20);
    assertThat(broken).as("broken links").isEmpty();
  }

  /** GitHub's anchors: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
  private static Set<String> anchors(Path markdown) throws IOException {
    String text = FENCE.matcher(Files.readString(markdown)).replaceAll("");
    Set<String> anchors = new HashSet<>();
    Matcher heading = HEADING.matcher(text);
    while (heading.find()) {
      String slug = heading.group(1).trim().toLowerCase(Locale.ROOT)
          .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
      String unique = slug;
      for (int n = 1; !anchors.add(unique); n++) {
        unique = slug + "-" + n;
      }
    }
    return anchors;
  }
}
