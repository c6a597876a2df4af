package io.queues4j;

import static java.util.Objects.requireNonNull;

/**
 * A body that does not match its declared content type, e.g. a non-{@link String} sent as {@link
 * QueueContentType#TEXT}.
 */
public final class ContentTypeMismatchException extends QueueException {
  private static final long serialVersionUID = 1L;

  /** The declared content type. */
  private final QueueContentType contentType;

  /** The class of the body that was given. */
  private final String bodyType;

  /**
   * Creates the exception.
   *
   * @param queue the queue concerned
   * @param contentType the declared content type
   * @param expectedType what the content type requires, e.g. {@code "String"}
   * @param bodyType the class name of the body given
   */
  public ContentTypeMismatchException(
      String queue, QueueContentType contentType, String expectedType, String bodyType) {
    super(
        queue,
        "Content Type \""
            + contentType.wireName()
            + "\" requires a value of type "
            + expectedType
            + ", but received: "
            + bodyType
            + " (queue '"
            + queue
            + "')");
    this.contentType = requireNonNull(contentType, "contentType");
    this.bodyType = requireNonNull(bodyType, "bodyType");
  }

  /**
   * Returns the declared content type.
   *
   * @return the content type
   */
  public QueueContentType contentType() {
    return contentType;
  }

  /**
   * Returns the class name of the body that was given.
   *
   * @return the class name
   */
  public String bodyType() {
    return bodyType;
  }
}
