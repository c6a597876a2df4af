package io.queues4j.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@link PrintStream} that keeps what a program prints, for assertions. */
final class OutputCapture {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Returns the number in a summary row such as {@code "  acked   499  ..."}. */
  long summaryValue(String row) {
    Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(row) + " +(\\d+)").matcher(text());
    if (!m.find()) {
      throw new AssertionError("no summary row '" + row + "' in:\n" + text());
    }
    return Long.parseLong(m.group(1));
  }
}
