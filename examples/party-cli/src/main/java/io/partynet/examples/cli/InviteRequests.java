package io.partynet.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partynet.Invite;
import io.partynet.InviteOptions;
import io.partynet.PartyManager;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code party invite}: the command line's options, the one-line control-socket request that
 * carries them to the running member, and the member's side that asks its manager. Stateless and
 * thread-safe.
 */
final class InviteRequests {
  private static final String ISSUE = "invite ";
  private static final String REVOKE = "revoke-invite ";
  private static final Pattern DURATION = Pattern.compile("(\\d{1,7})([smhd])");

  private InviteRequests() {}

  /** The request for {@code party invite [--ttl T] [--uses N]} or {@code party invite --revoke CODE}. */
  static String request(CommandLine commandLine) throws CliException {
    String revoke = commandLine.commandOptions().get("--revoke");
    String ttl = commandLine.commandOptions().get("--ttl");
    String uses = commandLine.commandOptions().get("--uses");
    if (revoke != null) {
      if (ttl != null || uses != null) {
        throw CliException.usage("'invite --revoke CODE' takes no --ttl or --uses");
      }
      if (!io.partynet.InviteCode.isValid(revoke)) {
        throw CliException.usage("--revoke needs an invite code like 7KQ2-M9XD-4RTX, got '" + revoke + "'");
      }
      return REVOKE + io.partynet.InviteCode.normalize(revoke);
    }
    InviteOptions options;
    try {
      options = new InviteOptions(ttl == null ? null : duration(ttl), uses == null ? 0 : positive(uses));
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    return ISSUE + options.timeLimit().map(d -> Long.toString(d.toSeconds())).orElse("-") + " " + options.maxUses();
  }

  /** {@code 90s}, {@code 30m}, {@code 1h}, {@code 7d}. */
  static Duration duration(String text) throws CliException {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw CliException.usage("--ttl needs a duration like 90s, 30m, 1h or 7d, got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static int positive(String text) throws CliException {
    try {
      int n = Integer.parseInt(text.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw CliException.usage("--uses needs a whole number of at least 1, got '" + text + "'");
  }

  static boolean handles(String request) {
    return request.startsWith(ISSUE) || request.startsWith(REVOKE);
  }

  /** The member's side: asks the manager; the answer's {@code invite} describes a new code. */
  static CompletableFuture<Void> perform(String request, PartyManager manager, ObjectNode answer) {
    if (request.startsWith(REVOKE)) {
      String code = request.substring(REVOKE.length()).trim();
      return manager.revokeInvite(code).thenRun(() -> answer.put("revoked", code));
    }
    String[] parts = request.substring(ISSUE.length()).trim().split(" ");
    InviteOptions options;
    try {
      options = new InviteOptions(parts[0].equals("-") ? null : Duration.ofSeconds(Long.parseLong(parts[0])),
          Integer.parseInt(parts[1]));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(io.partynet.PartyException.of(
          io.partynet.PartyException.Reason.INVALID_ARGUMENT, "malformed invite request"));
    }
    return manager.createInvite(options).thenAccept(invite -> describe(invite, answer));
  }

  private static void describe(Invite invite, ObjectNode answer) {
    ObjectNode node = answer.putObject("invite");
    node.put("code", invite.code());
    node.put("partyId", invite.partyId());
    invite.expiry().ifPresent(at -> node.put("expiresAt", at.toString()));
    node.put("maxUses", invite.maxUses());
  }

  /** What {@code party invite} prints for the member's answer. */
  static String describe(com.fasterxml.jackson.databind.JsonNode answer) {
    if (answer.has("revoked")) {
      return "revoked invite code " + answer.path("revoked").asText()
          + ": it admits nobody any more (members stay)";
    }
    com.fasterxml.jackson.databind.JsonNode invite = answer.path("invite");
    String limits = (invite.has("expiresAt") ? "expires " + invite.path("expiresAt").asText() : "no time limit")
        + ", " + (invite.path("maxUses").asInt() == 0 ? "any number of uses" : invite.path("maxUses").asInt() + " use(s)");
    return "invite code " + invite.path("code").asText() + " (" + limits + ")";
  }
}
