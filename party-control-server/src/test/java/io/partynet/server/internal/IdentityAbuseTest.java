package io.partynet.server.internal;

import static io.partynet.server.internal.ServerFixture.peer;
import static io.partynet.server.internal.ServerFixture.privateKeyOf;
import static io.partynet.server.internal.ServerFixture.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.Key;
import io.partynet.protocol.internal.ChallengeResponse;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.RegisterRequest;
import io.partynet.protocol.internal.RegisterResponse;
import io.partynet.server.internal.store.SqliteStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Abuse suite, issue 16 item 12: a WireGuard public key belongs to the one peer that proved it
 * holds the private key; someone who only saw the key cannot claim it, and no second peer id can
 * share it.
 */
class IdentityAbuseTest {
  @TempDir Path dir;
  ServerFixture fx;
  RawApi api;

  @BeforeEach
  void setUp() throws Exception {
    fx = new ServerFixture(dir);
    api = new RawApi(fx.port);
  }

  @AfterEach
  void tearDown() {
    api.close();
    fx.close();
  }

  @Test
  void registeringAnotherPlayersKeyIsRefused() {
    Key victim = randomKey();
    String victimToken = api.register("victim", victim);
    String party = api.createParty(victimToken, "mine", "victim", victim);

    Key attackersOwn = randomKey();
    RegisterRequest clone = api.provenRequest("attacker", victim, privateKeyOf(attackersOwn));
    RawApi.Answer refused = api.send("POST", Protocol.PEERS, null, ProtocolJson.write(clone));
    assertEquals(403, refused.status(), refused.body());
    assertEquals("FORBIDDEN", refused.code());

    // Before any registration of that key, too: seeing a public key is not owning it.
    Key unregistered = randomKey();
    RawApi.Answer early = api.send("POST", Protocol.PEERS, null,
        ProtocolJson.write(api.provenRequest("early", unregistered, privateKeyOf(attackersOwn))));
    assertEquals(403, early.status(), early.body());

    assertEquals(1, api.send("GET", Protocol.party(party), victimToken, null).as(PartyResponse.class)
        .party().peers().size());
  }

  @Test
  void aKeyBelongsToOnePeerEvenForItsOwner() {
    Key key = randomKey();
    api.register("first", key);
    RawApi.Answer second = api.send("POST", Protocol.PEERS, null,
        ProtocolJson.write(api.provenRequest("second", key, privateKeyOf(key))));
    assertEquals(403, second.status(), second.body());
    assertEquals("FORBIDDEN", second.code());
  }

  @Test
  void theKeysOwnerWhoLostItsTokenRegistersAgainAndTheOldTokenDies() {
    Key key = randomKey();
    String lost = api.register("forgetful", key);
    String fresh = api.register("forgetful", key);
    assertEquals(401, api.send("GET", Protocol.ME, lost, null).status());
    assertEquals(200, api.send("GET", Protocol.ME, fresh, null).status());
  }

  @Test
  void proofsAreBoundToTheirNonceAndPeerId() {
    Key key = randomKey();
    RegisterRequest proven = api.provenRequest("bound", key, privateKeyOf(key));
    RegisterRequest otherId = new RegisterRequest("other", proven.publicKey(), proven.nonce(), proven.proof());
    assertEquals(403, api.send("POST", Protocol.PEERS, null, ProtocolJson.write(otherId)).status());
    ChallengeResponse another = api.send("POST", Protocol.CHALLENGE, null, null).as(ChallengeResponse.class);
    RegisterRequest otherNonce = new RegisterRequest("bound", proven.publicKey(), another.nonce(), proven.proof());
    assertEquals(403, api.send("POST", Protocol.PEERS, null, ProtocolJson.write(otherNonce)).status());
    String forged = "A".repeat(54);
    RegisterRequest foreignNonce = new RegisterRequest("bound", proven.publicKey(), forged, proven.proof());
    assertEquals(400, api.send("POST", Protocol.PEERS, null, ProtocolJson.write(foreignNonce)).status());
    RawApi.Answer ok = api.send("POST", Protocol.PEERS, null, ProtocolJson.write(proven));
    assertEquals(201, ok.status(), ok.body());
    assertEquals("bound", ok.as(RegisterResponse.class).peerId());
  }

  /** A database written before revision 2 may hold two registrations of one key: they never share a party. */
  @Test
  void clonesRegisteredBeforeTheProofCannotJoinTheirVictimsParty() throws Exception {
    Key victim = randomKey();
    String victimToken = api.register("victim", victim);
    String party = api.createParty(victimToken, "mine", "victim", victim);
    api.close();
    fx.server.close();
    String cloneToken = "C".repeat(Protocol.TOKEN_CHARS);
    try (SqliteStore legacy = SqliteStore.open(fx.database)) {
      legacy.insertAccount(new SqliteStore.AccountRow("clone", victim.toBase64(), sha256Hex(cloneToken),
          java.time.Instant.now(), java.time.Instant.now()));
    }
    fx.restart(); // the server closed above starts again on its port and database
    api = new RawApi(fx.port);
    RawApi.Answer joined = api.join(cloneToken, party, "clone", victim);
    assertEquals(403, joined.status(), joined.body());
    assertEquals(1, api.send("GET", Protocol.party(party), victimToken, null).as(PartyResponse.class)
        .party().peers().size());
  }

  private static String sha256Hex(String token) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(token.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
  }
}
