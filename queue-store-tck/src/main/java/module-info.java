/** The contract tests of the queues4j storage SPI. */
@org.jspecify.annotations.NullMarked
module io.queues4j.tck {
  requires transitive io.queues4j.core;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;
  requires static org.jspecify;

  exports io.queues4j.tck;
  opens io.queues4j.tck to org.junit.platform.commons;
}
