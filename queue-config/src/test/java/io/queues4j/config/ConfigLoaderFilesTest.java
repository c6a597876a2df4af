package io.queues4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files on disk: the format follows the name; a directory is searched in wrangler's order. */
class ConfigLoaderFilesTest {

  private static final ConfigLoader LOADER = ConfigLoader.builder().build();

  @TempDir Path dir;

  @Test
  void theFormatFollowsTheFileName() {
    assertThat(ConfigFormat.of(Path.of("wrangler.toml"))).isEqualTo(ConfigFormat.WRANGLER_TOML);
    assertThat(ConfigFormat.of(Path.of("a/wrangler.json"))).isEqualTo(ConfigFormat.WRANGLER_JSON);
    assertThat(ConfigFormat.of(Path.of("wrangler.jsonc"))).isEqualTo(ConfigFormat.WRANGLER_JSON);
    assertThat(ConfigFormat.of(Path.of("app/W7S.json"))).isEqualTo(ConfigFormat.W7S_JSON);
    assertThat(ConfigFormat.of(Path.of("staging.toml"))).isEqualTo(ConfigFormat.WRANGLER_TOML);
    assertThatThrownBy(() -> ConfigFormat.of(Path.of("wrangler.yaml")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot tell the format of 'wrangler.yaml'");
  }

  @Test
  void loadReadsAFileAndNamesItInProblems() throws IOException {
    Path file = Files.writeString(dir.resolve("wrangler.toml"),
        GoodFilesTest.SEED_002_WRANGLER_TOML);
    Path bad = Files.writeString(dir.resolve("bad.toml"), "[[queues.consumers]]\nqueue = 1\n");

    QueueConfig config = LOADER.load(file);

    assertThat(config.source()).isEqualTo(file.toString());
    assertThat(config.consumers()).containsOnlyKeys("jobs");
    assertThatThrownBy(() -> LOADER.load(bad))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(bad + ":2:1: queues.consumers[0].queue: queue must be a string but"
            + " was the number 1");
  }

  @Test
  void aDirectoryIsSearchedInWranglersOrderThenW7s() throws IOException {
    Files.writeString(dir.resolve("w7s.json"), "{\"queues\": [\"from-w7s\"]}");
    assertThat(LOADER.loadDirectory(dir).consumers()).containsOnlyKeys("from-w7s");

    Files.writeString(dir.resolve("wrangler.toml"), "[[queues.consumers]]\nqueue = \"toml\"\n");
    assertThat(LOADER.loadDirectory(dir).consumers()).containsOnlyKeys("toml");

    Files.writeString(dir.resolve("wrangler.jsonc"),
        "{\"queues\": {\"consumers\": [{\"queue\": \"jsonc\"},]}}");
    assertThat(LOADER.loadDirectory(dir).consumers()).containsOnlyKeys("jsonc");

    Files.writeString(dir.resolve("wrangler.json"),
        "{\"queues\": {\"consumers\": [{\"queue\": \"json\"}]}}");
    assertThat(LOADER.loadDirectory(dir).consumers()).containsOnlyKeys("json");
  }

  @Test
  void missingAndUnreadableFilesAreIoErrors() throws IOException {
    assertThatThrownBy(() -> LOADER.loadDirectory(dir))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("looked for [wrangler.json, wrangler.jsonc, wrangler.toml, w7s.json]");
    assertThatThrownBy(() -> LOADER.load(dir.resolve("wrangler.toml")))
        .isInstanceOf(NoSuchFileException.class);
    Path latin1 = dir.resolve("wrangler.toml");
    Files.write(latin1, "name = \"caf\u00e9\"\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> LOADER.load(latin1)).isInstanceOf(IOException.class);
  }

  @Test
  void theModuleExportsOnlyItsApiPackage() {
    ModuleDescriptor descriptor =
        ModuleFinder.of(Path.of("target/classes"))
            .find("io.queues4j.config")
            .orElseThrow()
            .descriptor();

    assertThat(descriptor.exports().stream().map(ModuleDescriptor.Exports::source)
            .collect(Collectors.toSet()))
        .containsExactly("io.queues4j.config");
    assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name))
        .contains("io.queues4j.core", "com.fasterxml.jackson.dataformat.toml");
  }
}
