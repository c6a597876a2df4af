package io.queues4j.examples;

import java.io.Console;

/** Tells whether standard output is an interactive terminal, where a progress line can redraw. */
final class Terminal {
  private Terminal() {}

  // The null check is right on Java 17-21, and isTerminal() covers 22+, as the check asks.
  @SuppressWarnings("SystemConsoleNull")
  static boolean isInteractive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // Java 22+ returns a Console even when output is redirected; Console.isTerminal() tells.
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // Java 17-21: a console exists only for a terminal
    }
  }
}
