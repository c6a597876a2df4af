package io.queues4j.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Locale;

/** The kinds of file {@link ConfigLoader} reads. */
public enum ConfigFormat {
  /** {@code wrangler.toml}: wrangler's configuration in TOML. */
  WRANGLER_TOML,

  /**
   * {@code wrangler.json} or {@code wrangler.jsonc}: wrangler's configuration in JSON. As wrangler
   * does for both names, {@code //} and {@code /* *}{@code /} comments and trailing commas are
   * allowed.
   */
  WRANGLER_JSON,

  /**
   * {@code w7s.json}: a W7S app's configuration (JSON, comments and trailing commas allowed):
   * {@code "queues"} and the {@code "queue": {"allow": [...]}} allowlist.
   */
  W7S_JSON;

  /**
   * Returns the format a file name implies: {@code w7s.json} (any directory) is {@link #W7S_JSON},
   * another {@code .json} or {@code .jsonc} file is {@link #WRANGLER_JSON}, a {@code .toml} file
   * is {@link #WRANGLER_TOML}.
   *
   * @param file the file
   * @return its format
   * @throws IllegalArgumentException if the name has none of those endings
   */
  public static ConfigFormat of(Path file) {
    requireNonNull(file, "file");
    Path name = file.getFileName();
    String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    if (n.equals("w7s.json")) {
      return W7S_JSON;
    }
    if (n.endsWith(".toml")) {
      return WRANGLER_TOML;
    }
    if (n.endsWith(".json") || n.endsWith(".jsonc")) {
      return WRANGLER_JSON;
    }
    throw new IllegalArgumentException(
        "cannot tell the format of '" + file + "': expected wrangler.toml, wrangler.json, "
            + "wrangler.jsonc or w7s.json (or a name ending in .toml, .json or .jsonc)");
  }
}
