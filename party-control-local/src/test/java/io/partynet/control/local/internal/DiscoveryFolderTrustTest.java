package io.partynet.control.local.internal;

import static io.partynet.testing.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.partynet.Key;
import io.partynet.PartyConfig;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.UnsafeDirectoryException;
import io.partynet.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The discovery folder is believed only when it is the current user's alone: one made by another
 * user (here: made by root and handed to {@code nobody}, as another local account would pre-create
 * it), or a discovery file planted in it by another user, is refused with
 * {@link UnsafeDirectoryException} before a single member in it is read. Runs as root (CI does) to
 * play the other user.
 */
class DiscoveryFolderTrustTest {
  @TempDir Path dir;
  private final ManualClock clock = ManualClock.startingAt("2026-01-01T00:00:00Z");
  private final List<LocalControlPlane> planes = new CopyOnWriteArrayList<>();
  private UserPrincipal nobody;

  @BeforeEach
  void needRootToPlayAnotherUser() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")),
        "needs root to create files owned by another user (CI runs as root)");
    nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
  }

  @AfterEach
  void closeAll() {
    planes.forEach(LocalControlPlane::close);
  }

  private LocalControlPlane plane(Path discoveryFile, boolean shared) {
    PartyConfig config = PartyConfig.builder().home(dir.resolve("home")).discoveryFile(discoveryFile)
        .requestTimeout(Duration.ofSeconds(2))
        .setting("control.local.shared-directory", Boolean.toString(shared)).build();
    LocalControlPlane plane = new LocalControlPlane(config, clock);
    planes.add(plane);
    return plane;
  }

  private static void start(LocalControlPlane plane, Peer as) throws Exception {
    plane.start(as.id(), Key.fromBase64(as.publicKey())).get(5, TimeUnit.SECONDS);
  }

  /** Another user's party with a member, written into {@code folder} as a shared folder would hold it. */
  private PartyInfo plantParty(Path folder) throws Exception {
    LocalControlPlane planter = plane(folder.resolve("discovery.json"), true);
    Peer mallory = peer("mallory");
    start(planter, mallory);
    PartyInfo party = planter.createParty("trap", mallory).get(5, TimeUnit.SECONDS);
    planter.close();
    return party;
  }

  @Test
  void aFolderMadeByAnotherUserIsRefusedAndItsMembersAreNeverRead() throws Exception {
    Path folder = dir.resolve("partynet-victim");
    PartyInfo planted = plantParty(folder);
    Files.setOwner(folder, nobody);
    for (Path file : Files.list(folder).toList()) {
      Files.setOwner(file, nobody);
    }

    LocalControlPlane victim = plane(folder.resolve("discovery.json"), false);
    ExecutionException refused = assertThrows(ExecutionException.class, () -> start(victim, peer("victim")));
    UnsafeDirectoryException cause = assertInstanceOf(UnsafeDirectoryException.class, refused.getCause());
    assertTrue(cause.getMessage().contains(folder.toString()) && cause.getMessage().contains("belongs to nobody"),
        cause.getMessage());
    assertTrue(cause.getMessage().contains("control.local.discovery-file"), "says how to choose another folder");
    assertThrows(ExecutionException.class,
        () -> victim.joinParty(planted.partyId(), peer("victim")).get(5, TimeUnit.SECONDS));
    Files.setOwner(folder.resolve("discovery.json"), Files.getOwner(dir));
    assertEquals(1, plane(folder.resolve("discovery.json"), true).getParty(planted.partyId())
        .get(5, TimeUnit.SECONDS).orElseThrow().peers().size(), "the victim never joined the planted party");
  }

  @Test
  void aDiscoveryFilePlantedByAnotherUserInTheUsersOwnFolderIsRefused() throws Exception {
    Path folder = dir.resolve("own");
    plantParty(folder);
    Files.setOwner(folder.resolve("discovery.json"), nobody);

    LocalControlPlane victim = plane(folder.resolve("discovery.json"), false);
    ExecutionException refused = assertThrows(ExecutionException.class, () -> start(victim, peer("victim")));
    assertInstanceOf(UnsafeDirectoryException.class, refused.getCause());
    assertTrue(refused.getCause().getMessage().contains("discovery.json"), refused.getCause().getMessage());
  }

  @Test
  void aFolderOthersMayWriteIsRefusedEvenWhenItIsTheUsers() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));

    LocalControlPlane victim = plane(folder.resolve("discovery.json"), false);
    ExecutionException refused = assertThrows(ExecutionException.class, () -> start(victim, peer("victim")));
    assertTrue(refused.getCause().getMessage().contains("rwxrwxrwx"), refused.getCause().getMessage());
  }

  @Test
  void theFolderIsMadePrivateAndItsFilesOwnerOnly() throws Exception {
    Path folder = dir.resolve("fresh").resolve("partynet-me");
    LocalControlPlane plane = plane(folder.resolve("discovery.json"), false);
    Peer host = peer("host");
    start(plane, host);
    plane.createParty("lan", host).get(5, TimeUnit.SECONDS);

    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
    for (Path file : Files.list(folder).toList()) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
    }
  }

  @Test
  void aFolderTheApplicationDeclaresSharedIsUsedAsItIs() throws Exception {
    Path folder = dir.resolve("shared");
    PartyInfo planted = plantParty(folder);
    Files.setOwner(folder, nobody);
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));

    LocalControlPlane member = plane(folder.resolve("discovery.json"), true);
    Peer guest = peer("guest");
    start(member, guest);
    assertEquals(2, member.joinParty(planted.partyId(), guest).get(5, TimeUnit.SECONDS).peers().size(),
        "control.local.shared-directory=true: the application vouches for the folder");
  }
}
