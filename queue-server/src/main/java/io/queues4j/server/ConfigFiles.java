package io.queues4j.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.queues4j.config.ConfigException;
import io.queues4j.config.ConfigFormat;
import io.queues4j.config.ConfigLoader;
import io.queues4j.config.Problem;
import io.queues4j.config.QueueConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Loads the configuration files the server serves: each with queue-config's {@link ConfigLoader}
 * (queues, consumers, allowlist), and its {@code [queues4j.server]} table with the same parser.
 * A directory stands for its first {@code wrangler.json}, {@code wrangler.jsonc}, {@code
 * wrangler.toml} or else {@code w7s.json}, as {@link ConfigLoader#loadDirectory} looks.
 */
final class ConfigFiles {
  private static final List<String> FILE_NAMES =
      List.of("wrangler.json", "wrangler.jsonc", "wrangler.toml", "w7s.json");

  private static final ObjectMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
                  .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
                  .build())
          .build();
  private static final ObjectMapper TOML = TomlMapper.builder().build();

  /**
   * One loaded file.
   *
   * @param file the file read
   * @param config its queues
   * @param server its {@code [queues4j.server]} table, or null if it has none
   */
  record Loaded(Path file, QueueConfig config, @Nullable ServerTable server) {}

  /**
   * What loading gave.
   *
   * @param files the files without problems
   * @param serverTables the server tables of every file read, those with problems included, so
   *     that their own problems are reported too
   */
  record Result(List<Loaded> files, List<ServerTable> serverTables) {}

  private ConfigFiles() {}

  /** Loads every file; files with problems are left out of the result and their problems added. */
  static Result load(List<String> paths, @Nullable String wranglerEnvironment, List<Problem> problems) {
    ConfigLoader.Builder builder = ConfigLoader.builder();
    if (wranglerEnvironment != null) {
      try {
        builder.environment(wranglerEnvironment);
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(SettingsReader.COMMAND_LINE, 0, 0, "--env", String.valueOf(e.getMessage())));
      }
    }
    ConfigLoader loader = builder.build();
    List<Loaded> loaded = new ArrayList<>();
    List<ServerTable> tables = new ArrayList<>();
    for (String given : paths) {
      Path file = resolve(given, problems);
      if (file == null) {
        continue;
      }
      String text;
      ConfigFormat format;
      try {
        format = ConfigFormat.of(file);
        byte[] bytes = Files.readAllBytes(file);
        text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(file.toString(), 0, 0, "", String.valueOf(e.getMessage())));
        continue;
      } catch (CharacterCodingException e) {
        problems.add(new Problem(file.toString(), 0, 0, "", "the file is not UTF-8"));
        continue;
      } catch (IOException e) {
        problems.add(new Problem(file.toString(), 0, 0, "", "cannot be read: " + e));
        continue;
      }
      ServerTable server = serverTable(file, text, format);
      try {
        QueueConfig config = loader.parse(text, format, file.toString());
        loaded.add(new Loaded(file, config, server));
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
      if (server != null) {
        server.checkKeys(problems);
        tables.add(server);
      }
    }
    return new Result(loaded, tables);
  }

  private static @Nullable Path resolve(String given, List<Problem> problems) {
    Path path = Path.of(given).toAbsolutePath().normalize();
    if (Files.isDirectory(path)) {
      for (String name : FILE_NAMES) {
        Path file = path.resolve(name);
        if (Files.isRegularFile(file)) {
          return file;
        }
      }
      problems.add(new Problem(given, 0, 0, "", "the directory has no configuration file: looked for " + FILE_NAMES));
      return null;
    }
    if (!Files.isRegularFile(path)) {
      problems.add(new Problem(given, 0, 0, "", "no such file or directory"));
      return null;
    }
    return path;
  }

  /** The file's server table, or null if it has none or cannot be parsed (queue-config says why). */
  private static @Nullable ServerTable serverTable(Path file, String text, ConfigFormat format) {
    boolean toml = format == ConfigFormat.WRANGLER_TOML;
    JsonNode root;
    try {
      root = (toml ? TOML : JSON).readTree(text);
    } catch (IOException e) {
      return null;
    }
    JsonNode queues4j = root == null ? null : root.get("queues4j");
    JsonNode server = queues4j == null ? null : queues4j.get("server");
    if (server == null) {
      return null;
    }
    Path directory = file.getParent() == null ? Path.of(".") : file.getParent();
    return new ServerTable(server, file.toString(), directory, toml ? KeyLines.toml(text) : KeyLines.json(text));
  }
}
