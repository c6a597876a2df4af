package io.queues4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.queues4j.config.Problem;
import io.queues4j.http.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the bearer tokens: {@code QUEUES4J_TOKENS} (plain, hashed here) and {@code
 * QUEUES4J_TOKEN_SHA256S} (digests), which together replace the file's {@code
 * [[queues4j.server.tokens]]} (each with a {@code caller} and a {@code sha256} or the {@code
 * token_env} variable that holds the token). Problems never quote a token.
 */
final class TokenReader {
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
  private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

  private final Map<String, String> env;
  private final @Nullable ServerTable file;
  private final List<Problem> problems;

  TokenReader(Map<String, String> env, @Nullable ServerTable file, List<Problem> problems) {
    this.env = env;
    this.file = file;
    this.problems = problems;
  }

  private void problem(SettingsReader.Raw raw, String message) {
    if (file != null) {
      problems.add(file.problem(raw.where(), message));
    }
  }

  List<ServerSettings.Token> read() {
    List<ServerSettings.Token> tokens = new ArrayList<>();
    String plain = env.get(Setting.TOKENS.env);
    String hashed = env.get(Setting.TOKEN_SHA256S.env);
    boolean fromEnv = (plain != null && !plain.isBlank()) || (hashed != null && !hashed.isBlank());
    if (fromEnv) {
      if (plain != null && !plain.isBlank()) {
        envTokens(Setting.TOKENS, plain, false, tokens);
      }
      if (hashed != null && !hashed.isBlank()) {
        envTokens(Setting.TOKEN_SHA256S, hashed, true, tokens);
      }
    } else if (file != null && file.get("tokens") != null && file.get("tokens").isArray()) {
      JsonNode list = file.get("tokens");
      for (int i = 0; i < list.size(); i++) {
        fileToken(list.get(i), "tokens[" + i + "]", tokens);
      }
    }
    Set<String> seen = new HashSet<>();
    for (ServerSettings.Token t : tokens) {
      if (!seen.add(t.sha256Hex())) {
        problems.add(new Problem(t.origin(), 0, 0, "",
            "the same token is configured twice (here for " + t.caller().repository() + ")"));
      }
    }
    return tokens;
  }

  private void envTokens(Setting setting, String value, boolean isHash, List<ServerSettings.Token> out) {
    List<String> entries = SettingsReader.split(value);
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      String where = setting.env + " entry " + (i + 1);
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        problems.add(new Problem(SettingsReader.ENVIRONMENT, 0, 0, where,
            "must be <owner>/<repo>[@<environment>]=<" + (isHash ? "sha256-hex" : "token") + "> but has no '='"));
        continue;
      }
      try {
        Caller caller = SettingsReader.caller(entry.substring(0, eq));
        String secret = entry.substring(eq + 1);
        out.add(new ServerSettings.Token(isHash ? hash(secret) : digest(secret), caller, setting.env + "[" + (i + 1) + "]"));
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(SettingsReader.ENVIRONMENT, 0, 0, where, String.valueOf(e.getMessage())));
      }
    }
  }

  private void fileToken(JsonNode table, String key, List<ServerSettings.Token> out) {
    if (file == null || !table.isObject()) {
      return; // ServerTable.checkKeys reported it
    }
    JsonNode callerNode = table.get("caller");
    JsonNode sha = table.get("sha256");
    JsonNode variable = table.get("token_env");
    if (callerNode == null) {
      problems.add(file.problem(key, "missing required key \"caller\" (owner/repo[@environment])"));
      return;
    }
    if ((sha == null) == (variable == null)) {
      problems.add(file.problem(key, "needs exactly one of \"sha256\" (the token's SHA-256 in hex) and"
          + " \"token_env\" (the variable that holds the token); tokens themselves never go in the file"));
      return;
    }
    SettingsReader.Raw callerRaw = new SettingsReader.Raw(file.source, key + ".caller", null, callerNode);
    SettingsReader.Raw secretRaw = new SettingsReader.Raw(file.source, key + (sha != null ? ".sha256" : ".token_env"), null, sha != null ? sha : variable);
    Caller caller;
    try {
      caller = SettingsReader.caller(SettingsReader.string(callerRaw));
    } catch (IllegalArgumentException e) {
      problem(callerRaw, String.valueOf(e.getMessage()));
      return;
    }
    try {
      String digest;
      if (sha != null) {
        digest = hash(SettingsReader.string(secretRaw));
      } else {
        String name = SettingsReader.string(secretRaw);
        String token = env.get(name);
        if (token == null || token.isEmpty()) {
          throw new IllegalArgumentException("names the variable " + SettingsReader.truncate(name) + ", which is not set");
        }
        digest = digest(token);
      }
      out.add(new ServerSettings.Token(digest, caller, file.source + ": " + ServerTable.PREFIX + "." + key));
    } catch (IllegalArgumentException e) {
      problem(secretRaw, String.valueOf(e.getMessage()));
    }
  }

  private static String hash(String hex) {
    String h = hex.trim();
    if (!HEX64.matcher(h).matches()) {
      throw new IllegalArgumentException(
          "a SHA-256 digest must be 64 hexadecimal digits but was " + h.length() + " characters");
    }
    return h.toLowerCase(Locale.ROOT);
  }

  /** Checks a plain token (RFC 6750 alphabet, 16 to 1024 characters) and returns its digest. */
  static String digest(String token) {
    if (token.length() < 16 || token.length() > 1024 || !TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException(
          "a token must be 16 to 1024 characters of A-Z a-z 0-9 . _ ~ + / - (then '=' padding) but"
              + " was " + token.length() + " characters" + (token.length() >= 16 ? " with others" : ""));
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
