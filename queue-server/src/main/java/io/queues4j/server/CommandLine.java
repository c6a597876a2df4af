package io.queues4j.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The parsed command line: the values of the flags of {@link Setting}, still as text (the readers
 * check them, as they check variables and file keys, so that every bad value is reported with the
 * others), and the switches. {@code --name value} and {@code --name=value} are the same; {@code
 * --config} may be repeated; any other flag may appear once.
 */
final class CommandLine {
  private final List<String> configs;
  private final Map<Setting, String> values;
  private final boolean check;
  private final boolean help;
  private final boolean insecureNoAuth;

  private CommandLine(
      List<String> configs,
      Map<Setting, String> values,
      boolean check,
      boolean help,
      boolean insecureNoAuth) {
    this.configs = List.copyOf(configs);
    this.values = Collections.unmodifiableMap(new EnumMap<>(values));
    this.check = check;
    this.help = help;
    this.insecureNoAuth = insecureNoAuth;
  }

  /**
   * Parses the arguments.
   *
   * @throws UsageException on an unknown flag, a flag without its value, a value given to a
   *     switch, a flag given twice, or an argument that is not a flag; the message is one line
   */
  static CommandLine parse(String... args) throws UsageException {
    List<String> configs = new ArrayList<>();
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    boolean check = false;
    boolean help = false;
    boolean insecure = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h")) {
        help = true;
        continue;
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException(
            "unexpected argument '" + printable(arg) + "': give configuration files with --config");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      Setting setting = Setting.ofFlag(name);
      if (setting == null) {
        throw new UsageException(
            "unknown option '" + printable(name) + "'" + Spelling.suggest(name, Setting.flags()));
      }
      if (!setting.takesValue()) {
        if (eq >= 0) {
          throw new UsageException(name + " takes no value but was given '" + printable(arg.substring(eq + 1)) + "'");
        }
        switch (setting) {
          case CHECK -> check = true;
          case HELP -> help = true;
          case INSECURE_NO_AUTH -> insecure = true;
          default -> throw new IllegalStateException("unhandled switch " + setting);
        }
        continue;
      }
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      } else {
        throw new UsageException(name + " needs a value: " + name + " " + setting.argument);
      }
      if (setting == Setting.CONFIG) {
        configs.add(value);
      } else if (values.putIfAbsent(setting, value) != null) {
        throw new UsageException(name + " was given twice");
      }
    }
    return new CommandLine(configs, values, check, help, insecure);
  }

  /** Shortens and cleans a user-supplied argument for a one-line message. */
  private static String printable(String arg) {
    String clean = arg.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= 60 ? clean : clean.substring(0, 60) + "...";
  }

  /** The {@code --config} values, in order; empty when none was given. */
  List<String> configs() {
    return configs;
  }

  /** The value of a flag, or null when it was not given. */
  @Nullable String value(Setting setting) {
    return values.get(setting);
  }

  boolean check() {
    return check;
  }

  boolean help() {
    return help;
  }

  boolean insecureNoAuth() {
    return insecureNoAuth;
  }
}
