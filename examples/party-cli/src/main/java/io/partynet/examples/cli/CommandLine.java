package io.partynet.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code party} command line: the command, its positional arguments and its options,
 * checked against what that command accepts. Immutable and thread-safe.
 *
 * @param command create, join, status, leave or help
 * @param arguments positional arguments
 * @param home the member's home directory
 * @param name {@code --name}, or null
 * @param network {@code --network}, or null (the settings database decides)
 * @param json {@code --json}
 * @param watch {@code --watch} (status only)
 * @param help {@code --help} was given
 * @param settings {@code --set key=value} overrides for this run
 * @param portSpecs what {@code expose}/{@code forward} ask for, or the {@code --expose}/{@code --forward}
 *     options of create and join, in command-line order
 * @param count {@code -c N} / {@code --count N} (ping only), 0 when not given
 */
record CommandLine(String command, List<String> arguments, Path home, String name, String network, boolean json,
    boolean watch, boolean help, Map<String, String> settings, List<PortSpec> portSpecs, int count) {

  static final List<String> COMMANDS = List.of("create", "join", "status", "say", "leave", "ping", "doctor",
      "expose", "forward", "help");
  /** Most probes one {@code party ping} sends. */
  static final int MAX_PING_COUNT = 100;
  private static final Map<String, Set<String>> OPTIONS = Map.of(
      "create", Set.of("--home", "--name", "--network", "--server", "--set", "--expose", "--forward"),
      "join", Set.of("--home", "--name", "--network", "--server", "--set", "--expose", "--forward"),
      "status", Set.of("--home", "--json", "--watch"),
      "leave", Set.of("--home"),
      "say", Set.of("--home"),
      "ping", Set.of("--home", "--json", "--count"),
      "doctor", Set.of("--home", "--json", "--network", "--server", "--set"),
      "expose", Set.of("--home", "--to", "--json"),
      "forward", Set.of("--home", "--json"),
      "help", Set.of());
  private static final Map<String, Integer> ARITY = Map.of("create", 1, "join", 1, "status", 0, "say", 1,
      "leave", 0, "ping", 1, "doctor", 0, "expose", 2, "forward", 3, "help", -1);

  CommandLine {
    arguments = List.copyOf(arguments);
    settings = Map.copyOf(settings);
    portSpecs = List.copyOf(portSpecs);
  }

  static CommandLine parse(String[] args) throws CliException {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      return new CommandLine("help", List.of(), defaultHome(), null, null, false, false, true, Map.of(), List.of(), 0);
    }
    String command = args[0];
    if (!COMMANDS.contains(command)) {
      throw CliException.usage("unknown command '" + command + "'; try: party --help");
    }
    List<String> positional = new ArrayList<>();
    Map<String, String> settings = new LinkedHashMap<>();
    List<PortSpec> portSpecs = new ArrayList<>();
    String to = null;
    Path home = defaultHome();
    String name = null;
    String network = null;
    boolean json = false;
    boolean watch = false;
    boolean help = command.equals("help");
    int count = 0;
    for (int i = 1; i < args.length; i++) {
      String arg = args[i].equals("-c") ? "--count" : args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
        continue;
      }
      if (!arg.startsWith("--")) {
        positional.add(arg);
        continue;
      }
      int eqSign = arg.indexOf('=');
      String option = eqSign > 0 ? arg.substring(0, eqSign) : arg;
      if (!OPTIONS.get(command).contains(option)) {
        throw CliException.usage("'" + command + "' does not take " + option + "; try: party " + command + " --help");
      }
      if (option.equals("--json")) {
        json = true;
        continue;
      }
      if (option.equals("--watch")) {
        watch = true;
        continue;
      }
      String value;
      if (eqSign > 0) {
        value = arg.substring(eqSign + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw CliException.usage(option + " needs a value; try: party " + command + " --help");
      }
      switch (option) {
        case "--home" -> home = Path.of(value);
        case "--name" -> name = value;
        case "--network" -> network = value;
        case "--count" -> count = count(value);
        case "--to" -> to = value;
        case "--expose" -> portSpecs.add(PortSpec.exposeOption(value));
        case "--forward" -> portSpecs.add(PortSpec.forwardOption(value));
        case "--server" -> {
          settings.put("control.mode", "remote");
          settings.put("control.server-url", serverUrl(value));
        }
        case "--set" -> {
          int eq = value.indexOf('=');
          if (eq <= 0) {
            throw CliException.usage("--set needs KEY=VALUE, got '" + value + "'");
          }
          settings.put(value.substring(0, eq).trim(), value.substring(eq + 1).trim());
        }
        default -> throw new IllegalStateException(option);
      }
    }
    int arity = ARITY.get(command);
    if (!help && arity >= 0 && positional.size() != arity) {
      throw CliException.usage("'" + command + "' takes " + (arity == 0 ? "no arguments"
          : arity == 1 ? "one argument" : arity + " arguments") + "; try: party " + command + " --help");
    }
    if (!help && command.equals("expose")) {
      portSpecs.add(PortSpec.expose(positional.get(0), positional.get(1), to));
    } else if (!help && command.equals("forward")) {
      portSpecs.add(PortSpec.forward(positional.get(0), positional.get(1), positional.get(2)));
    }
    if (!help && command.equals("join") && name == null) {
      throw CliException.usage("'join' needs --name YOUR_NAME; try: party join --help");
    }
    if (json && watch) {
      throw CliException.usage("'status' takes --json or --watch, not both");
    }
    return new CommandLine(command, positional, home, name, network, json, watch, help, settings, portSpecs, count);
  }

  private static int count(String value) throws CliException {
    try {
      int count = Integer.parseInt(value.trim());
      if (count >= 1 && count <= MAX_PING_COUNT) {
        return count;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw CliException.usage("-c takes a number of probes from 1 to " + MAX_PING_COUNT + ", got '" + value + "'");
  }

  /** The control plane server's base URL, {@code http(s)://host:port}. */
  private static String serverUrl(String value) throws CliException {
    try {
      java.net.URI uri = new java.net.URI(value);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return value;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    throw CliException.usage("--server needs a URL like http://203.0.113.5:8080, got '" + value + "'");
  }

  static Path defaultHome() {
    return Path.of(System.getProperty("user.home"), ".partynet");
  }

  /** The setting overrides for this run: {@code --set} values, then {@code --name} and {@code --network}. */
  Map<String, String> overrides() {
    Map<String, String> all = new LinkedHashMap<>(settings);
    if (name != null) {
      all.put("peer.name", name);
    }
    if (network != null) {
      all.put("network.backend", network);
    }
    return all;
  }
}
