package io.queues4j;

import static java.util.Objects.requireNonNull;

import java.util.OptionalInt;

/**
 * Options of {@link Queue#send(Object, QueueSendOptions)}; mirrors Cloudflare's {@code
 * QueueSendOptions}. Value-based: do not use identity ({@code ==}, {@code synchronized}) on
 * instances.
 *
 * @param contentType how the body is encoded
 * @param delaySeconds seconds before the message may be delivered, in [0, 86400]; empty means the
 *     queue's default delivery delay applies, while an explicit {@code 0} overrides that default
 */
public record QueueSendOptions(QueueContentType contentType, OptionalInt delaySeconds) {
  /** JSON, no explicit delay. */
  public static final QueueSendOptions DEFAULT =
      new QueueSendOptions(QueueContentType.JSON, OptionalInt.empty());

  /**
   * Validates the options.
   *
   * @param contentType see the record description
   * @param delaySeconds see the record description
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code delaySeconds} is outside [0, 86400]
   */
  public QueueSendOptions {
    requireNonNull(contentType, "contentType");
    requireNonNull(delaySeconds, "delaySeconds");
    delaySeconds.ifPresent(d -> Delays.check("delaySeconds", d));
  }

  /**
   * Options with the given content type and no explicit delay.
   *
   * @param contentType how the body is encoded
   * @return the options
   */
  public static QueueSendOptions contentType(QueueContentType contentType) {
    return new QueueSendOptions(contentType, OptionalInt.empty());
  }

  /**
   * JSON options with an explicit delay.
   *
   * @param delaySeconds seconds before the message may be delivered, in [0, 86400]
   * @return the options
   * @throws IllegalArgumentException if {@code delaySeconds} is outside [0, 86400]
   */
  public static QueueSendOptions delaySeconds(int delaySeconds) {
    return new QueueSendOptions(QueueContentType.JSON, OptionalInt.of(delaySeconds));
  }

  /**
   * Returns a copy with the given explicit delay.
   *
   * @param seconds seconds before the message may be delivered, in [0, 86400]
   * @return the new options
   * @throws IllegalArgumentException if {@code seconds} is outside [0, 86400]
   */
  public QueueSendOptions withDelaySeconds(int seconds) {
    return new QueueSendOptions(contentType, OptionalInt.of(seconds));
  }
}
