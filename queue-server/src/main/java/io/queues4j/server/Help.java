package io.queues4j.server;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The text of {@code --help}, generated from {@link Setting} so that it lists every setting. */
final class Help {
  private static final int WIDTH = 100;

  private Help() {}

  static String text() {
    StringBuilder s = new StringBuilder();
    s.append("Usage: java -jar queues4j-server.jar --config <file-or-directory> [options]\n\n");
    wrap(s, "", "Serves the queues of wrangler.toml, wrangler.json(c) and w7s.json files over HTTP:"
        + " W7S sends (POST /api/v1/queues/<owner>/<repo>/<queue>) with signed push delivery to the"
        + " app, queue-run enqueue routes, and GET /healthz and GET /readyz on the probe port. Every"
        + " route but the probes needs 'Authorization: Bearer <token>'.");
    s.append("\nOptions:\n");
    for (Setting setting : Setting.values()) {
      if (setting.flag != null) {
        String label = setting.flag + (setting.argument == null ? "" : " " + setting.argument);
        String also = setting.env == null ? "" : "; also " + setting.env;
        entry(s, label, setting.description + also, setting.defaultText);
      }
    }
    s.append("\nEnvironment variables, and keys of the [queues4j.server] table of a configuration file:\n");
    for (Setting setting : Setting.values()) {
      if (setting.env == null && setting.fileKey == null) {
        continue;
      }
      String label = setting.env != null ? setting.env + "=" + setting.argument : "file only: " + setting.fileKey;
      String description = setting.flag != null ? "as " + setting.flag : setting.description;
      String key = setting.fileKey == null || setting.env == null ? "" : "; file: " + setting.fileKey;
      entry(s, label, description + key, setting.flag != null ? null : setting.defaultText);
    }
    s.append('\n');
    wrap(s, "", "Precedence: a flag wins over its environment variable, a variable over the file's key,"
        + " and the file over the default. An empty variable counts as unset. A variable that holds"
        + " a list (tokens, allowlist, rate limits) replaces the file's list as a whole. Secrets"
        + " (tokens, the signing secret, the key store password) never go in the file: the file"
        + " names the variable that holds them, or gives a token's SHA-256.");
    s.append('\n');
    wrap(s, "", "Exit status: 0 after --help, or when --check finds no problem; 1 when the"
        + " configuration has problems (all are listed) or the server cannot start; 2 for a bad"
        + " command line; 143 after SIGTERM, once the server has drained (128 + 15, as for any JVM"
        + " stopped by a signal).");
    s.append("\nDocumentation: docs/SERVER.md\n");
    return s.toString();
  }

  private static void entry(StringBuilder s, String label, String description, @Nullable String defaultText) {
    s.append("  ").append(label).append('\n');
    wrap(s, "      ", description + (defaultText == null ? "" : " [default: " + defaultText + "]"));
  }

  private static void wrap(StringBuilder s, String indent, String text) {
    List<String> words = new ArrayList<>(List.of(text.split(" ", -1)));
    StringBuilder line = new StringBuilder(indent);
    for (String w : words) {
      if (line.length() > indent.length() && line.length() + 1 + w.length() > WIDTH) {
        s.append(line).append('\n');
        line = new StringBuilder(indent);
      }
      if (line.length() > indent.length()) {
        line.append(' ');
      }
      line.append(w);
    }
    s.append(line).append('\n');
  }
}
