package io.queues4j;

import static java.util.Objects.requireNonNull;

/** A content type the engine cannot encode: {@link QueueContentType#V8} has no Java meaning. */
public final class UnsupportedContentTypeException extends QueueException {
  private static final long serialVersionUID = 1L;

  /** The content type asked for. */
  private final QueueContentType contentType;

  /**
   * Creates the exception.
   *
   * @param queue the queue concerned
   * @param contentType the content type asked for
   */
  public UnsupportedContentTypeException(String queue, QueueContentType contentType) {
    super(
        queue,
        "Content Type \""
            + contentType.wireName()
            + "\" is not supported: JavaScript structured clone has no Java counterpart; use"
            + " \"json\", \"text\" or \"bytes\" (queue '"
            + queue
            + "')");
    this.contentType = requireNonNull(contentType, "contentType");
  }

  /**
   * Returns the content type asked for.
   *
   * @return the content type
   */
  public QueueContentType contentType() {
    return contentType;
  }
}
