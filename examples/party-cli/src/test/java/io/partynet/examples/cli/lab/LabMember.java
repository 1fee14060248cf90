package io.partynet.examples.cli.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partynet.testing.lab.LabException;
import io.partynet.testing.lab.LabProcess;
import io.partynet.testing.lab.LabSite;
import io.partynet.examples.cli.PartyCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code party create} or {@code party join} process (a child JVM running {@code PartyCli} in a
 * lab host's namespace, with the uapi backend, which starts wireguard-go as its own child).
 * Thread-safe: its state is fixed once {@link PartyLab} returns it, and the process is thread-safe.
 */
public final class LabMember implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern YOU_ARE = Pattern.compile("You are (\\S+) at ([0-9.]+) in party .*");
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

  private final String name;
  private final LabSite site;
  private final Path home;
  private final String interfaceName;
  private final LabProcess process;
  private final String inviteCode;
  private final String virtualIp;
  private final long joinedAtNanos;
  private final long startedAtNanos = System.nanoTime();

  LabMember(String name, LabSite site, Path home, String interfaceName, LabProcess process, Duration startTimeout) {
    this.name = name;
    this.site = site;
    this.home = home;
    this.interfaceName = interfaceName;
    this.process = process;
    try {
      this.inviteCode = process.awaitValue("Invite code: ", startTimeout).strip();
      String line = process.awaitLine(l -> l.startsWith("You are "), startTimeout);
      this.joinedAtNanos = System.nanoTime();
      Matcher m = YOU_ARE.matcher(line);
      if (!m.matches()) {
        throw new LabException(name + ": unexpected line " + line);
      }
      this.virtualIp = m.group(2);
    } catch (LabException e) {
      throw new LabException(e.getMessage() + "\n---- " + name + " party.log ----\n" + log(), e);
    }
  }

  public String name() {
    return name;
  }

  public LabSite site() {
    return site;
  }

  public String inviteCode() {
    return inviteCode;
  }

  public String virtualIp() {
    return virtualIp;
  }

  public String interfaceName() {
    return interfaceName;
  }

  /** About when the member's process started (the test constructs this right after starting it). */
  public long startedAtNanos() {
    return startedAtNanos;
  }

  /** When this test saw the create or join return (the member printed "You are ..."). */
  public long joinedAtNanos() {
    return joinedAtNanos;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** CPU time the member's JVM (the SDK: manager, discovery relay) has used so far; not wireguard-go's. */
  public Duration cpuTime() {
    return process.cpuTime();
  }

  /** {@code party status --json} for this member. */
  public JsonNode status() {
    PartyCommand.Result r = PartyCommand.run("status", "--json", "--home", home.toString());
    if (!r.ok()) {
      throw new LabException(name + ": party status failed (" + r.exitCode() + "): " + r.stderr().strip());
    }
    try {
      return JSON.readTree(r.stdout());
    } catch (IOException e) {
      throw new LabException(name + ": party status printed no JSON: " + r.stdout(), e);
    }
  }

  /** The entry of the member called {@code peerName} in this member's status, if it is listed. */
  public Optional<JsonNode> peer(JsonNode status, String peerName) {
    for (JsonNode p : status.path("peers")) {
      if (p.path("name").asText().equals(peerName)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** {@code party ARGS --home HOME} for this member (in this JVM, over the member's control socket). */
  public PartyCommand.Result command(String... args) {
    String[] withHome = java.util.Arrays.copyOf(args, args.length + 2);
    withHome[args.length] = "--home";
    withHome[args.length + 1] = home.toString();
    return PartyCommand.run(withHome);
  }

  /** {@code party leave}, then waits for the process to exit. */
  public void leave() {
    if (!process.isAlive()) {
      return;
    }
    PartyCommand.Result r = PartyCommand.run("leave", "--home", home.toString());
    if (!r.ok() && process.isAlive()) {
      throw new LabException(name + ": party leave failed (" + r.exitCode() + "): " + r.stderr().strip());
    }
    process.awaitExit(COMMAND_TIMEOUT);
  }

  /**
   * SIGKILL, as a crash: the JVM gets no chance to leave or to stop its wireguard-go, which the
   * test then ends by pid (the process a crash would orphan) so the lab can be torn down.
   */
  public void kill() {
    List<ProcessHandle> children = process.isAlive()
        ? ProcessHandle.of(process.pid()).map(h -> h.descendants().toList()).orElse(List.of()) : List.of();
    process.kill();
    PartyLab.endOrphans(children, interfaceName);
  }

  /** The member's SDK log (its home's party.log). */
  public String log() {
    try {
      return Files.readString(home.resolve("party.log"));
    } catch (IOException e) {
      return "(no party.log: " + e.getMessage() + ")";
    }
  }

  public String output() {
    return process.output();
  }

  /** Waits for a line the member prints (its console shows every membership change as it happens). */
  public String awaitLine(java.util.function.Predicate<String> match, Duration timeout) {
    return process.awaitLine(match, timeout);
  }

  /** Leaves if still running; otherwise (or if that fails) ends the process and its wireguard-go by pid. */
  @Override
  public void close() {
    List<ProcessHandle> children = process.isAlive()
        ? ProcessHandle.of(process.pid()).map(h -> h.descendants().toList()).orElse(List.of()) : List.of();
    try {
      leave();
    } catch (LabException e) {
      process.close();
    }
    PartyLab.endOrphans(children, interfaceName);
  }

  @Override
  public String toString() {
    return name + "@" + site.kind();
  }
}
