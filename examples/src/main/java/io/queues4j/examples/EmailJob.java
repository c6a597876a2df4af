package io.queues4j.examples;

/**
 * An email waiting in the outbox: the seed's {@code type EmailJob = {to: String, subject: String}}.
 *
 * @param to the recipient's address
 * @param subject the subject line
 */
record EmailJob(String to, String subject) {}
