package io.queues4j.examples;

import java.time.Instant;
import java.util.Locale;

/**
 * A job message, the body the jobs demo sends: like the seed's {@code {id, createdAt}} plus the
 * task to run. Encoded as JSON by the engine, so it holds only strings and numbers.
 *
 * @param id unique job id, also the key of the job's result
 * @param number the job's position in the run, from 1
 * @param task what to do, one of {@link #TASKS} or {@link #POISON_TASK}
 * @param createdAt when the job was created, ISO-8601
 */
record Job(String id, int number, String task, String createdAt) {

  /** Everyday work: sync an external system, generate a report, send a notification. */
  static final String[] TASKS = {"sync-crm", "render-report", "send-digest"};

  /** A task that can never succeed: its input is corrupt, so every attempt fails. */
  static final String POISON_TASK = "import-corrupt-file";

  /** Creates job {@code number}; the poison job is number {@code poisonNumber}. */
  static Job create(int number, int poisonNumber, Instant now) {
    String task = number == poisonNumber ? POISON_TASK : TASKS[number % TASKS.length];
    return new Job(String.format(Locale.ROOT, "job-%06d", number), number, task, now.toString());
  }
}
