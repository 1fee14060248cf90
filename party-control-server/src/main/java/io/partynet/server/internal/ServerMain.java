package io.partynet.server.internal;

import io.partynet.IpPrefix;
import io.partynet.core.internal.registry.RegistrySettings;
import io.partynet.protocol.internal.IceServersResponse;
import io.partynet.server.internal.http.IceServers;
import io.partynet.server.internal.store.StoreLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar party-control-server.jar [options]}: runs a {@link ControlServer} until SIGTERM
 * or Ctrl-C, which shut it down gracefully. Run with {@code --help} for the options.
 * Not meant to be called from other code.
 */
public final class ServerMain {
  static final String USAGE = """
      Usage: java -jar party-control-server.jar [options]

      Runs the PartyNet control plane server (protocol v1: REST + WebSocket on one port).

      Options:
        --port N                       port to listen on (default 8080; 0 picks a free one)
        --host ADDR                    address to bind (default 0.0.0.0)
        --db FILE                      SQLite database (default party.db; created if absent)
        --store LOCATION               where state is kept: sqlite:PATH (same as --db PATH) or
                                       postgresql://USER@HOST[:PORT]/DATABASE[?PARAMS]
        --store-password-file FILE     file holding the PostgreSQL password (or set
                                       PARTYNET_DB_PASSWORD); never put it in the URL
        --db-pool-size N               PostgreSQL connections at most (default 10)
        --standby                      on PostgreSQL: wait while another instance is active,
                                       take over when it stops (without it: exit 1)
        --shared                       on PostgreSQL: serve the database together with every
                                       other instance started with --shared (all active)
        --subnet CIDR                  virtual subnet of every party (default 10.77.0.0/16)
        --max-party-size N             members per party (default 16)
        --stale-timeout SECONDS        remove members silent this long (default 90)
        --cleanup-interval SECONDS     how often to look for stale members (default 60)
        --tls-keystore FILE            serve HTTPS/WSS with this PKCS#12 keystore
        --tls-password-file FILE       file holding the keystore password (or set
                                       PARTYNET_TLS_PASSWORD); never pass it on the command line
        --trust-proxy                  take client addresses from X-Forwarded-For (only behind
                                       your own reverse proxy)
        --peer-rate-limit N            requests per second per peer token (default 20, burst 2x)
        --address-rate-limit N         requests per second per client address (default 100, burst 2x)
        --registration-rate-limit N    registrations per second per client address (default 1,
                                       burst 20; burst 2x when set)
        --max-requests-per-address N   requests in flight from one address (default 32)
        --max-requests N               requests in flight in total (default 160, at most 200)
        --registration-ttl DAYS        forget registrations unused this long by peers in no
                                       party (default 30)
        --max-registrations N          registrations held at most (default 100000)
        --stun HOST:PORT               a STUN server handed to peers (repeatable)
        --turn HOST:PORT               a TURN server handed to peers with a short-lived
                                       credential (repeatable; needs --turn-secret-file)
        --turn-secret-file FILE        file holding coturn's static-auth-secret (coturn runs
                                       with use-auth-secret); never pass it on the command line
        --turn-credential-lifetime S   seconds a TURN credential stays valid (default 3600,
                                       30..604800)
        --log-format text|json         log lines as key=value text (default) or one JSON
                                       object per line (level: -Dpartynet.log.level=debug)
        --help                         print this and exit

      Logs go to stderr as one line per event with key=value fields. SIGTERM stops the server
      gracefully: clients are told it is going away, state is flushed, the database closed.
      See docs/server.md.
      """;

  private ServerMain() {}

  public static void main(String[] args) {
    configureLogging(logFormatIsJson(args));
    ControlServerBuilder builder;
    try {
      builder = parse(args, System.getenv("PARTYNET_TLS_PASSWORD"), System.getenv("PARTYNET_DB_PASSWORD"));
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println();
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    if (builder == null) {
      System.out.print(USAGE);
      return;
    }
    ControlServer server = builder.onLeaseLost(() -> System.exit(1)).build();
    // Before start: a stop requested while the server starts waits for the start, then stops it.
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "partynet-server-shutdown"));
    stopOnSignal("TERM", server);
    stopOnSignal("INT", server);
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      System.err.println("error: the server could not start: " + e.getMessage());
      server.close();
      System.exit(1);
      return;
    }
  }

  /**
   * A stop requested by the service manager or Ctrl-C is a normal end: shut down gracefully and
   * exit 0 (a JVM left to its default handler would exit 143 or 130 after running the hooks).
   */
  private static void stopOnSignal(String name, ControlServer server) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
        server.close();
        System.exit(0);
      });
    } catch (IllegalArgumentException e) {
      // The platform has no such signal: the shutdown hook still stops the server gracefully.
    }
  }

  /** Parses the command line with no database password in the environment; returns null for {@code --help}. */
  static ControlServerBuilder parse(String[] args, String passwordFromEnv) {
    return parse(args, passwordFromEnv, null);
  }

  /** Parses the command line; returns null for {@code --help}. */
  static ControlServerBuilder parse(String[] args, String passwordFromEnv, String dbPasswordFromEnv) {
    ControlServerBuilder b = ControlServer.builder();
    String store = null;
    Path storePasswordFile = null;
    int poolSize = 10;
    String subnet = "10.77.0.0/16";
    int maxPartySize = 16;
    long staleSeconds = 90;
    Path keystore = null;
    Path passwordFile = null;
    int perAddress = 32;
    int total = 160;
    List<String> stun = new ArrayList<>();
    List<String> turn = new ArrayList<>();
    Path turnSecretFile = null;
    int credentialSeconds = (int) IceServers.DEFAULT_LIFETIME.toSeconds();
    List<String> rest = new ArrayList<>(List.of(args));
    while (!rest.isEmpty()) {
      String option = rest.remove(0);
      switch (option) {
        case "--help", "-h" -> {
          return null;
        }
        case "--port" -> b.port(intValue(option, rest, 0, 65535));
        case "--host" -> b.host(value(option, rest));
        case "--db" -> store = "sqlite:" + value(option, rest);
        case "--store" -> store = value(option, rest);
        case "--store-password-file" -> storePasswordFile = Path.of(value(option, rest));
        case "--db-pool-size" -> poolSize = intValue(option, rest, 1, 100);
        case "--subnet" -> subnet = value(option, rest);
        case "--max-party-size" -> maxPartySize = intValue(option, rest, 2, 256);
        case "--stale-timeout" -> staleSeconds = intValue(option, rest, 1, 86_400);
        case "--cleanup-interval" -> b.cleanupInterval(Duration.ofSeconds(intValue(option, rest, 1, 86_400)));
        case "--tls-keystore" -> keystore = Path.of(value(option, rest));
        case "--tls-password-file" -> passwordFile = Path.of(value(option, rest));
        case "--trust-proxy" -> b.trustProxy(true);
        case "--standby" -> b.standby(true);
        case "--shared" -> b.shared(true);
        case "--log-format" -> {
          String format = value(option, rest);
          if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("--log-format must be text or json: " + format);
          }
        }
        case "--peer-rate-limit" -> {
          int n = intValue(option, rest, 1, 1_000_000);
          b.peerRateLimit(n, 2 * n);
        }
        case "--address-rate-limit" -> {
          int n = intValue(option, rest, 1, 1_000_000);
          b.addressRateLimit(n, 2 * n);
        }
        case "--registration-rate-limit" -> {
          int n = intValue(option, rest, 1, 1_000_000);
          b.registrationRateLimit(n, Math.max(20, 2 * n));
        }
        case "--max-requests-per-address" -> perAddress = intValue(option, rest, 1, 200);
        case "--max-requests" -> total = intValue(option, rest, 1, 200);
        case "--registration-ttl" -> b.registrationTtl(Duration.ofDays(intValue(option, rest, 1, 36_500)));
        case "--max-registrations" -> b.maxRegistrations(intValue(option, rest, 1, 100_000_000));
        case "--stun" -> stun.add(hostPort(option, value(option, rest)));
        case "--turn" -> turn.add(hostPort(option, value(option, rest)));
        case "--turn-secret-file" -> turnSecretFile = Path.of(value(option, rest));
        case "--turn-credential-lifetime" -> credentialSeconds = intValue(option, rest,
            (int) IceServers.MIN_LIFETIME.toSeconds(), (int) IceServers.MAX_LIFETIME.toSeconds());
        case "--turn-secret", "--tls-password" -> throw new IllegalArgumentException(option
            + " would show the secret to every user of this machine (ps): use " + option + "-file FILE"
            + (option.equals("--tls-password") ? " or the environment variable PARTYNET_TLS_PASSWORD" : ""));
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (perAddress > total) {
      throw new IllegalArgumentException("--max-requests-per-address must not exceed --max-requests");
    }
    b.maxRequestsInFlight(perAddress, total);
    b.registrySettings(new RegistrySettings(IpPrefix.parse(subnet), maxPartySize, Duration.ofSeconds(staleSeconds)));
    b.iceServers(iceServers(stun, turn, turnSecretFile, Duration.ofSeconds(credentialSeconds)));
    if (store != null) {
      b.store(storeLocation(store, storePasswordFile, dbPasswordFromEnv, poolSize));
    } else if (storePasswordFile != null) {
      throw new IllegalArgumentException("--store-password-file needs --store postgresql://...");
    }
    if (keystore != null) {
      b.tls(keystore, password(passwordFile, passwordFromEnv));
    } else if (passwordFile != null) {
      throw new IllegalArgumentException("--tls-password-file needs --tls-keystore");
    }
    return b.check();
  }

  private static StoreLocation storeLocation(String text, Path passwordFile, String fromEnv, int poolSize) {
    String password = fromEnv;
    if (passwordFile != null) {
      try {
        password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the database password file " + passwordFile + ": "
            + e.getMessage());
      }
    }
    StoreLocation location = StoreLocation.parse(text, password);
    if (location instanceof StoreLocation.Postgres postgres) {
      return postgres.withPoolSize(poolSize);
    }
    if (passwordFile != null) {
      throw new IllegalArgumentException("--store-password-file is for a PostgreSQL --store, not " + text);
    }
    return location;
  }

  private static IceServers iceServers(List<String> stun, List<String> turn, Path secretFile, Duration lifetime) {
    if (stun.size() > IceServersResponse.MAX_SERVERS || turn.size() > IceServersResponse.MAX_SERVERS) {
      throw new IllegalArgumentException("at most " + IceServersResponse.MAX_SERVERS + " --stun and "
          + IceServersResponse.MAX_SERVERS + " --turn servers");
    }
    if (turn.isEmpty()) {
      if (secretFile != null) {
        throw new IllegalArgumentException("--turn-secret-file needs at least one --turn HOST:PORT");
      }
      return new IceServers(stun, turn, null, lifetime);
    }
    if (secretFile == null) {
      throw new IllegalArgumentException("--turn needs --turn-secret-file FILE holding coturn's static-auth-secret");
    }
    String secret;
    try {
      secret = Files.readString(secretFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the TURN secret file " + secretFile + ": " + e);
    }
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("the TURN secret file " + secretFile + " is empty");
    }
    return new IceServers(stun, turn, secret.getBytes(StandardCharsets.UTF_8), lifetime);
  }

  /** {@code host:port} or {@code [v6]:port}, port 1..65535; answers it unchanged. */
  static String hostPort(String option, String text) {
    int colon = text.lastIndexOf(':');
    String host = colon < 0 ? "" : text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      host = "";
    }
    int port = -1;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      // reported below
    }
    if (host.isEmpty() || !host.matches("[A-Za-z0-9.:-]{1,253}") || port < 1 || port > 65535) {
      throw new IllegalArgumentException(option + " needs HOST:PORT (IPv6 as [ADDR]:PORT), port 1..65535: " + text);
    }
    return text;
  }

  private static String password(Path file, String fromEnv) {
    if (file != null) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the keystore password file " + file + ": " + e.getMessage());
      }
    }
    if (fromEnv == null) {
      throw new IllegalArgumentException("--tls-keystore needs --tls-password-file or PARTYNET_TLS_PASSWORD");
    }
    return fromEnv;
  }

  private static String value(String option, List<String> rest) {
    if (rest.isEmpty() || rest.get(0).startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return rest.remove(0);
  }

  private static int intValue(String option, List<String> rest, int min, int max) {
    String text = value(option, rest);
    try {
      int n = Integer.parseInt(text);
      if (n < min || n > max) {
        throw new IllegalArgumentException(option + " must be " + min + ".." + max + ": " + text);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number: " + text);
    }
  }

  /** Whether the command line asks for {@code --log-format json} (read before anything logs). */
  static boolean logFormatIsJson(String[] args) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--log-format")) {
        return args[i + 1].equals("json");
      }
    }
    return false;
  }

  /**
   * One line per event on stderr: text with the ISO time first (slf4j-simple), or with
   * {@code json} one JSON object per line ({@code JsonLogProvider}, chosen through SLF4J's
   * {@code slf4j.provider} property); Jetty's chatter only from WARN up in the text format.
   */
  private static void configureLogging(boolean json) {
    if (json) {
      setDefault("slf4j.provider", "io.partynet.server.internal.logging.JsonLogProvider");
      // SLF4J would announce the chosen provider on stderr in plain text, breaking "every line is JSON".
      setDefault("slf4j.internal.verbosity", "WARN");
    }
    setDefault("org.slf4j.simpleLogger.showDateTime", "true");
    setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    setDefault("org.slf4j.simpleLogger.showThreadName", "false");
    setDefault("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
    setDefault("org.slf4j.simpleLogger.log.io.javalin", "warn");
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

}
