package io.queues4j.core;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.simple.SimpleLogger;

/**
 * Test fixture: captures what the engine logs at WARN and above while it is open.
 *
 * <p>The test resources set slf4j-simple's default level to ERROR, and slf4j-simple fixes a
 * logger's level when the logger is created (the engine's loggers are static), so this lowers the
 * level of the engine's loggers to WARN for its lifetime, reflectively, and redirects {@code
 * System.err} (where slf4j-simple writes, looking the stream up on every line) into a buffer. Both
 * are restored by {@link #close()}. Not for concurrent use by tests running in parallel.
 */
final class ReliabilityLogs implements AutoCloseable {
  private static final List<Class<?>> ENGINE_CLASSES =
      List.of(QueueEngine.class, QueueRuntime.class, Invocation.class, DeliveredMessage.class,
          Outcomes.class, EngineContext.class, QueueTimer.class);
  private static final int WARN = 30; // slf4j-simple's LOG_LEVEL_WARN (EventConstants.WARN_INT)

  private final PrintStream original = System.err;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final Map<Logger, Integer> levels = new LinkedHashMap<>();

  private ReliabilityLogs() {}

  static ReliabilityLogs capture() {
    ReliabilityLogs logs = new ReliabilityLogs();
    for (Class<?> type : ENGINE_CLASSES) {
      Logger logger = LoggerFactory.getLogger(type);
      if (logger instanceof SimpleLogger) {
        logs.levels.put(logger, level(logger, WARN));
      }
    }
    System.setErr(new PrintStream(logs.buffer, true, StandardCharsets.UTF_8));
    return logs;
  }

  /** Sets a slf4j-simple logger's level; returns the previous one. */
  private static int level(Logger logger, int level) {
    try {
      Field field = SimpleLogger.class.getDeclaredField("currentLogLevel");
      field.setAccessible(true);
      int previous = field.getInt(logger);
      field.setInt(logger, level);
      return previous;
    } catch (ReflectiveOperationException e) {
      throw new LinkageError("slf4j-simple changed: cannot set the level of " + logger, e);
    }
  }

  /** Log lines (not stack-trace lines) written so far. */
  List<String> lines() {
    String text;
    synchronized (buffer) {
      text = buffer.toString(StandardCharsets.UTF_8);
    }
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.contains(" WARN ") || line.contains(" ERROR ") || line.contains(" INFO ")) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** Log lines that contain every fragment. */
  List<String> matching(String... fragments) {
    return lines().stream().filter(l -> Arrays.stream(fragments).allMatch(l::contains)).toList();
  }

  @Override
  public void close() {
    System.setErr(original);
    levels.forEach(ReliabilityLogs::level);
  }
}
