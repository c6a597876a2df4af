package io.queues4j.examples;

/**
 * A mail server's answer to one delivery attempt, classed as SMTP does by its first digit.
 *
 * @param code the SMTP reply code, e.g. 250, 451 or 550
 * @param text the reply text
 */
record SmtpReply(int code, String text) {

  /** 2xx: the server took the message. */
  boolean accepted() {
    return code / 100 == 2;
  }

  /** 4xx: a temporary failure; the same message may succeed later. */
  boolean temporary() {
    return code / 100 == 4;
  }

  @Override
  public String toString() {
    return code + " " + text;
  }
}
