package io.queues4j.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads wrangler and W7S configuration files into {@link QueueConfig}s, with Jackson's TOML and
 * JSON readers.
 *
 * <pre>{@code
 * ConfigLoader loader = ConfigLoader.builder().environment("staging").strict(true).build();
 * QueueConfig config = loader.load(Path.of("wrangler.toml"));
 * }</pre>
 *
 * <p>A file with problems fails with one {@link ConfigException} that lists them all. Unknown keys
 * in the tables queues4j reads are warnings (logged at WARN, and in {@link QueueConfig#warnings()})
 * unless the loader is {@linkplain Builder#strict strict}; keys outside those tables belong to
 * wrangler or W7S and are not checked.
 *
 * <p>Immutable and thread-safe: one loader may read any number of files, from any thread.
 */
public final class ConfigLoader {
  private static final Logger logger = LoggerFactory.getLogger(ConfigLoader.class);

  /** The names wrangler looks for, in its order, then W7S's. */
  private static final List<String> FILE_NAMES =
      List.of("wrangler.json", "wrangler.jsonc", "wrangler.toml", "w7s.json");

  private static final JsonFactory JSON_FACTORY =
      JsonFactory.builder()
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private static final ObjectMapper JSON =
      JsonMapper.builder(JSON_FACTORY)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final ObjectMapper TOML = TomlMapper.builder().build();

  /** What a load needs besides the file. */
  record Options(boolean strict, @Nullable String environment, @Nullable ConfigProfile profile) {}

  private final Options options;

  private ConfigLoader(Builder b) {
    this.options = new Options(b.strict, b.environment, b.profile);
  }

  /**
   * Returns a builder: lenient, top-level queues, the file's profile (default {@link
   * ConfigProfile#CLOUDFLARE}).
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a file; its format follows its name ({@link ConfigFormat#of}).
   *
   * @param file {@code wrangler.toml}, {@code wrangler.json}, {@code wrangler.jsonc}, {@code
   *     w7s.json}, or another name with one of their endings
   * @return the configuration
   * @throws IOException if the file cannot be read, or is not UTF-8
   * @throws IllegalArgumentException if the name implies no format
   * @throws ConfigException if the file has errors
   */
  public QueueConfig load(Path file) throws IOException {
    ConfigFormat format = ConfigFormat.of(file);
    return parse(Files.readString(file, StandardCharsets.UTF_8), format, file.toString());
  }

  /**
   * Reads the configuration file of a directory: the first of {@code wrangler.json}, {@code
   * wrangler.jsonc} and {@code wrangler.toml} (wrangler's order), else {@code w7s.json}.
   *
   * @param directory the directory
   * @return the configuration
   * @throws NoSuchFileException if the directory has none of those files
   * @throws IOException if the file cannot be read, or is not UTF-8
   * @throws ConfigException if the file has errors
   */
  public QueueConfig loadDirectory(Path directory) throws IOException {
    requireNonNull(directory, "directory");
    for (String name : FILE_NAMES) {
      Path file = directory.resolve(name);
      if (Files.isRegularFile(file)) {
        return load(file);
      }
    }
    throw new NoSuchFileException(
        directory.toString(), null, "no configuration file: looked for " + FILE_NAMES);
  }

  /**
   * Reads configuration text.
   *
   * @param text the file's content
   * @param format its format
   * @param source the name problems and the configuration report, e.g. {@code "wrangler.toml"}
   * @return the configuration
   * @throws ConfigException if the text has errors
   */
  public QueueConfig parse(String text, ConfigFormat format, String source) {
    requireNonNull(text, "text");
    requireNonNull(format, "format");
    requireNonNull(source, "source");
    boolean toml = format == ConfigFormat.WRANGLER_TOML;
    JsonNode root;
    try {
      root = (toml ? TOML : JSON).readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new ConfigException(
          source,
          List.of(
              new Problem(
                  source,
                  at == null ? 0 : Math.max(at.getLineNr(), 0),
                  at == null ? 0 : Math.max(at.getColumnNr(), 0),
                  "",
                  "malformed " + (toml ? "TOML" : "JSON") + ": " + e.getOriginalMessage())));
    }
    Locations locations = toml ? TomlLocator.scan(text) : jsonLocations(text);
    Report report = new Report(source, locations, options.strict());
    Table table =
        root == null || root.isMissingNode()
            ? null
            : Table.of(root, "", report, "a " + (toml ? "TOML document" : "JSON object"));
    if (table == null) {
      if (!report.hasErrors()) {
        report.error("", "the file is empty: expected a JSON object");
      }
      throw new ConfigException(source, report.errors());
    }
    QueueConfig config =
        format == ConfigFormat.W7S_JSON
            ? W7sReader.read(table, options)
            : WranglerReader.read(table, format, options);
    if (report.hasErrors()) {
      List<Problem> errors = new ArrayList<>(report.errors());
      errors.sort(Comparator.comparingInt(Problem::line));
      throw new ConfigException(source, errors);
    }
    for (Problem warning : config.warnings()) {
      logger.warn("{}", warning);
    }
    return config;
  }

  private static Locations jsonLocations(String text) {
    try {
      return JsonLocator.scan(JSON_FACTORY, text);
    } catch (IOException e) {
      throw new UncheckedIOException("JSON read once failed on the second reading", e);
    }
  }

  @Override
  public String toString() {
    return "ConfigLoader{strict=" + options.strict() + ", environment=" + options.environment()
        + ", profile=" + options.profile() + "}";
  }

  /** Builds a {@link ConfigLoader}. Not thread-safe. */
  public static final class Builder {
    private boolean strict;
    private @Nullable String environment;
    private @Nullable ConfigProfile profile;

    private Builder() {}

    /**
     * Makes unknown keys errors instead of warnings.
     *
     * @param strict whether unknown keys fail the load
     * @return this builder
     */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * Selects a wrangler environment, as {@code wrangler --env name} does: its {@code [env.name]}
     * queues are read instead of the top level's (queues are not inherited). A file that
     * defines environments but not this one fails; a file that defines none gives a warning and
     * its top level.
     *
     * @param environment the environment's name, not blank
     * @return this builder
     * @throws IllegalArgumentException if the name is blank
     */
    public Builder environment(String environment) {
      requireNonNull(environment, "environment");
      if (environment.isBlank()) {
        throw new IllegalArgumentException(
            "environment must not be blank but was '" + environment + "'");
      }
      this.environment = environment;
      return this;
    }

    /**
     * Sets the profile, overriding the file's {@code queues4j.profile}.
     *
     * @param profile the profile
     * @return this builder
     */
    public Builder profile(ConfigProfile profile) {
      this.profile = requireNonNull(profile, "profile");
      return this;
    }

    /**
     * Builds the loader.
     *
     * @return the loader
     */
    public ConfigLoader build() {
      return new ConfigLoader(this);
    }
  }
}
