package io.queues4j.http;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * Who a bearer token speaks for: a deployed app, named by its GitHub-style owner and repository,
 * and the deployment environment it runs in (W7S's {@code orgSlug}, {@code repoSlug} and {@code
 * environment}). The server learns it from its own token configuration, never from the request.
 * Value-based.
 *
 * @param owner the owner (organisation or user), e.g. {@code w7s-io}
 * @param repo the repository, e.g. {@code example-queue-worker}
 * @param environment the deployment environment, e.g. {@code production} or a branch name
 */
public record Caller(String owner, String repo, String environment) {
  static final Pattern SLUG = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9_])?");
  static final Pattern ENVIRONMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,99}");

  /**
   * Validates the caller.
   *
   * @param owner see the record description
   * @param repo see the record description
   * @param environment see the record description
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code owner} or {@code repo} is not 1 to 100 letters,
   *     digits, {@code .}, {@code _} or {@code -} (starting with a letter or digit), or {@code
   *     environment} is not 1 to 100 such characters or {@code /}
   */
  public Caller {
    requireSlug("owner", owner);
    requireSlug("repo", repo);
    requireNonNull(environment, "environment");
    if (!ENVIRONMENT.matcher(environment).matches() || environment.contains("..")) {
      throw new IllegalArgumentException(
          "environment must be 1 to 100 letters, digits, '.', '_', '-' or '/' but was '"
              + environment + "'");
    }
  }

  /**
   * Returns {@code owner/repo}, W7S's {@code repository}.
   *
   * @return the repository's full name
   */
  public String repository() {
    return owner + "/" + repo;
  }

  static String requireSlug(String what, String value) {
    requireNonNull(value, what);
    if (!SLUG.matcher(value).matches() || value.contains("..")) {
      throw new IllegalArgumentException(
          what + " must be 1 to 100 letters, digits, '.', '_' or '-' but was '" + value + "'");
    }
    return value;
  }

  static boolean isSlug(String value) {
    return SLUG.matcher(value).matches() && !value.contains("..");
  }
}
