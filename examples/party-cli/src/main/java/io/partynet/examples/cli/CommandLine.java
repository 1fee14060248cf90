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
 * @param commandOptions the options of the command itself ({@code invite}'s {@code --ttl}, {@code --uses}, {@code --revoke})
 * @param settings {@code --set key=value} and {@code --set-file key=file} overrides for this run, and secret
 *     settings from the environment ({@link #SECRETS_FROM_ENVIRONMENT}); {@link #toString()} hides secrets
 * @param portSpecs what {@code expose}/{@code forward} ask for, or the {@code --expose}/{@code --forward}
 *     options of create and join, in command-line order
 * @param count {@code -c N} / {@code --count N} (ping only), 0 when not given
 */
record CommandLine(String command, List<String> arguments, Path home, String name, String network, boolean json,
    boolean watch, boolean help, Map<String, String> commandOptions, Map<String, String> settings,
    List<PortSpec> portSpecs, int count) {

  static final List<String> COMMANDS = List.of("create", "join", "status", "say", "leave", "invite", "ping",
      "doctor", "expose", "forward", "socks", "help");
  /** Most probes one {@code party ping} sends. */
  static final int MAX_PING_COUNT = 100;
  private static final Map<String, Set<String>> OPTIONS = Map.ofEntries(
      Map.entry("create", Set.of("--home", "--name", "--network", "--server", "--set", "--set-file", "--expose",
          "--forward", "--socks")),
      Map.entry("join", Set.of("--home", "--name", "--network", "--server", "--set", "--set-file", "--expose",
          "--forward", "--socks")),
      Map.entry("status", Set.of("--home", "--json", "--watch")),
      Map.entry("leave", Set.of("--home")),
      Map.entry("invite", Set.of("--home", "--ttl", "--uses", "--revoke")),
      Map.entry("say", Set.of("--home")),
      Map.entry("ping", Set.of("--home", "--json", "--count")),
      Map.entry("doctor", Set.of("--home", "--json", "--network", "--server", "--set", "--set-file")),
      Map.entry("expose", Set.of("--home", "--to", "--json")),
      Map.entry("forward", Set.of("--home", "--json")),
      Map.entry("socks", Set.of("--home", "--json")),
      Map.entry("help", Set.of()));
  private static final Map<String, Integer> ARITY = Map.ofEntries(Map.entry("create", 1), Map.entry("join", 1),
      Map.entry("status", 0), Map.entry("say", 1), Map.entry("leave", 0), Map.entry("invite", 0),
      Map.entry("ping", 1), Map.entry("doctor", 0), Map.entry("expose", 2), Map.entry("forward", 3),
      Map.entry("socks", 1), Map.entry("help", -1));

  /**
   * Secret settings read from the environment when set: {@code PARTYNET_} and the key in capitals
   * with {@code _} for every other character, e.g. {@code PARTYNET_NAT_TURN_PASSWORD}. A command
   * line is visible to every local user ({@code ps}), the environment is not.
   */
  static final List<String> SECRETS_FROM_ENVIRONMENT = List.of("nat.turn-password");

  CommandLine {
    arguments = List.copyOf(arguments);
    commandOptions = Map.copyOf(commandOptions);
    settings = Map.copyOf(settings);
    portSpecs = List.copyOf(portSpecs);
  }

  static CommandLine parse(String[] args) throws CliException {
    return parse(args, System.getenv());
  }

  /** The environment variable a secret setting is read from. */
  static String environmentVariable(String key) {
    return "PARTYNET_" + key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  @Override
  public String toString() {
    Map<String, String> shown = new java.util.TreeMap<>();
    settings.forEach((k, v) -> shown.put(k, io.partynet.PartyConfig.isSecretSetting(k) ? "<hidden>" : v));
    return "CommandLine[" + command + " " + arguments + ", home=" + home + ", settings=" + shown + "]";
  }

  static CommandLine parse(String[] args, Map<String, String> environment) throws CliException {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      return new CommandLine("help", List.of(), defaultHome(), null, null, false, false, true, Map.of(), Map.of(),
          List.of(), 0);
    }
    String command = args[0];
    if (!COMMANDS.contains(command)) {
      throw CliException.usage("unknown command '" + command + "'; try: party --help");
    }
    List<String> positional = new ArrayList<>();
    Map<String, String> settings = new LinkedHashMap<>();
    List<PortSpec> portSpecs = new ArrayList<>();
    String to = null;
    Map<String, String> commandOptions = new LinkedHashMap<>();
    for (String secret : SECRETS_FROM_ENVIRONMENT) {
      String value = environment.get(environmentVariable(secret));
      if (value != null && !value.isEmpty()) {
        settings.put(secret, value);
      }
    }
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
        case "--ttl", "--uses", "--revoke" -> commandOptions.put(option, value);
        case "--name" -> name = value;
        case "--network" -> network = value;
        case "--count" -> count = count(value);
        case "--to" -> to = value;
        case "--expose" -> portSpecs.add(PortSpec.exposeOption(value));
        case "--forward" -> portSpecs.add(PortSpec.forwardOption(value));
        case "--socks" -> portSpecs.add(PortSpec.socks(value));
        case "--server" -> {
          settings.put("control.mode", "remote");
          settings.put("control.server-url", serverUrl(value));
        }
        case "--set" -> {
          int eq = value.indexOf('=');
          if (eq <= 0) {
            throw CliException.usage("--set needs KEY=VALUE, got '" + value + "'");
          }
          String key = value.substring(0, eq).trim();
          if (io.partynet.PartyConfig.isSecretSetting(key)) {
            throw CliException.usage("--set " + key + "=... would show a secret to every user of this computer"
                + " (ps); use --set-file " + key + "=FILE (a file only you can read holding the value) or the"
                + " environment variable " + environmentVariable(key));
          }
          settings.put(key, value.substring(eq + 1).trim());
        }
        case "--set-file" -> {
          int eq = value.indexOf('=');
          if (eq <= 0) {
            throw CliException.usage("--set-file needs KEY=FILE, got '" + value + "'");
          }
          settings.put(value.substring(0, eq).trim(), readSettingFile(Path.of(value.substring(eq + 1).trim())));
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
    } else if (!help && command.equals("socks")) {
      portSpecs.add(PortSpec.socks(positional.get(0)));
    }
    if (!help && command.equals("join") && name == null) {
      throw CliException.usage("'join' needs --name YOUR_NAME; try: party join --help");
    }
    if (json && watch) {
      throw CliException.usage("'status' takes --json or --watch, not both");
    }
    return new CommandLine(command, positional, home, name, network, json, watch, help, commandOptions, settings,
        portSpecs, count);
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

  /** A setting's value from a file: its content without the trailing line break. */
  private static String readSettingFile(Path file) throws CliException {
    try {
      if (java.nio.file.Files.size(file) > 64 * 1024) {
        throw CliException.usage("--set-file " + file + " is larger than 64 KiB: not a setting's value");
      }
      return java.nio.file.Files.readString(file).strip();
    } catch (java.io.IOException e) {
      throw CliException.usage("--set-file cannot read " + file + ": " + e.getMessage());
    }
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
