package io.queues4j.examples;

/**
 * The message the producer app sends to the consumer app: the seed's {@code {id, text}}.
 *
 * @param id chosen by the producer, so it can ask the consumer about the task later
 * @param text the work for the consumer
 */
record Task(String id, String text) {}
