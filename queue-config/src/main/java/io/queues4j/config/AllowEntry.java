package io.queues4j.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a W7S app's {@code "queue": {"allow": [...]}} list: a GitHub owner, whose every
 * repository may send to the app's queues, or one exact {@code owner/repo}.
 *
 * @param owner the GitHub owner (user or organization)
 * @param repo the repository, or empty to allow every repository of the owner
 */
public record AllowEntry(String owner, Optional<String> repo) {
  /** GitHub's owner names: letters, digits and single inner hyphens, at most 39 characters. */
  private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}");

  /** GitHub's repository names: letters, digits, {@code .}, {@code _} and {@code -}. */
  private static final Pattern REPO = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  /**
   * Validates the components.
   *
   * @param owner see the record description
   * @param repo see the record description
   * @throws IllegalArgumentException if the owner or repository is not a valid GitHub name
   */
  public AllowEntry {
    requireNonNull(owner, "owner");
    requireNonNull(repo, "repo");
    if (!OWNER.matcher(owner).matches()) {
      throw new IllegalArgumentException(
          "owner must be a GitHub owner name (letters, digits and single inner hyphens, at most"
              + " 39 characters) but was '" + owner + "'");
    }
    String r = repo.orElse(null);
    if (r != null && (!REPO.matcher(r).matches() || r.equals(".") || r.equals(".."))) {
      throw new IllegalArgumentException(
          "repo must be a GitHub repository name (letters, digits, '.', '_' and '-', at most 100"
              + " characters) but was '" + r + "'");
    }
  }

  /**
   * Parses an entry as written in {@code w7s.json}: {@code owner} or {@code owner/repo}.
   *
   * @param entry the entry
   * @return the entry
   * @throws IllegalArgumentException if it is neither form
   */
  public static AllowEntry parse(String entry) {
    requireNonNull(entry, "entry");
    int slash = entry.indexOf('/');
    if (slash < 0) {
      return new AllowEntry(entry, Optional.empty());
    }
    if (entry.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException(
          "an allow entry must be 'owner' or 'owner/repo' but was '" + entry + "'");
    }
    return new AllowEntry(entry.substring(0, slash), Optional.of(entry.substring(slash + 1)));
  }

  /**
   * Tells whether this entry lets a caller send. GitHub names compare without regard to case.
   *
   * @param callerOwner the caller's GitHub owner
   * @param callerRepo the caller's repository
   * @return whether the caller is allowed by this entry
   */
  public boolean allows(String callerOwner, String callerRepo) {
    requireNonNull(callerOwner, "callerOwner");
    requireNonNull(callerRepo, "callerRepo");
    @Nullable String r = repo.orElse(null);
    return owner.equalsIgnoreCase(callerOwner) && (r == null || r.equalsIgnoreCase(callerRepo));
  }

  /** Returns the entry as written in {@code w7s.json}. */
  @Override
  public String toString() {
    return repo.map(r -> owner + "/" + r).orElse(owner);
  }
}
