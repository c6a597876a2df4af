package io.queues4j.config;

/**
 * Whose platform rules a file is checked against, where platforms differ.
 *
 * <p>Chosen with {@link ConfigLoader.Builder#profile} or, when the loader sets none, with the
 * file's {@code queues4j.profile} key ({@code "cloudflare"} or {@code "wdl"}); the default is
 * {@link #CLOUDFLARE}.
 */
public enum ConfigProfile {
  /**
   * Cloudflare's hosted Queues: every wrangler key is accepted with wrangler's meaning; {@code
   * max_concurrency} is honoured (1..250).
   */
  CLOUDFLARE,

  /**
   * The WDL runtime of the seeds: {@code max_concurrency} is rejected at load, as WDL rejects it
   * at deploy time, and the dead letters held for a queue without a consumer form a ring of
   * {@value #WDL_DEAD_LETTER_RING} entries unless the file sets {@code dead_letter_capacity}.
   */
  WDL;

  /** The dead-letter ring of the WDL runtime: "about 10k entries by default". */
  static final int WDL_DEAD_LETTER_RING = 10_000;

  /** Returns the name a file uses for this profile in {@code queues4j.profile}. */
  String fileName() {
    return this == CLOUDFLARE ? "cloudflare" : "wdl";
  }
}
