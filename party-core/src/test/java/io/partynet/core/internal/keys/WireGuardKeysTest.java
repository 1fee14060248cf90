package io.partynet.core.internal.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.partynet.Key;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class WireGuardKeysTest {

  /** RFC 7748, section 6.1: Alice's and Bob's X25519 key pairs. */
  @Test
  void publicKeysMatchRfc7748Vectors() {
    assertEquals(Key.fromHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"),
        WireGuardKeys.publicKey(Key.fromHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")));
    assertEquals(Key.fromHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"),
        WireGuardKeys.publicKey(Key.fromHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")));
  }

  @Property(tries = 60)
  void derivedPublicKeyEqualsWgPubkey(@ForAll @Size(32) byte[] privateBytes) throws Exception {
    Key privateKey = Key.fromBytes(privateBytes);
    assertEquals(wgPubkey(privateKey), WireGuardKeys.publicKey(privateKey).toBase64());
  }

  @Property(tries = 20)
  void generatedKeysAreClampedAndAgreeWithWg() throws Exception {
    WireGuardKeyPair pair = WireGuardKeys.generateKeyPair();
    byte[] bytes = pair.privateKey().toBytes();
    assertArrayEquals(WireGuardKeys.clamp(bytes.clone()), bytes, "wg genkey clamps; so do we");
    assertEquals(wgPubkey(pair.privateKey()), pair.publicKey().toBase64());
  }

  @Test
  void generatedKeysDiffer() {
    assertNotEquals(WireGuardKeys.generatePrivateKey(), WireGuardKeys.generatePrivateKey());
  }

  /** Runs the reference implementation, {@code wg pubkey} from wireguard-tools. */
  static String wgPubkey(Key privateKey) throws IOException, InterruptedException {
    Process wg;
    try {
      wg = new ProcessBuilder("wg", "pubkey").redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("wireguard-tools is not installed (no 'wg' on PATH): " + e.getMessage());
      throw e;
    }
    try {
      wg.getOutputStream().write((privateKey.toBase64() + "\n").getBytes(StandardCharsets.US_ASCII));
      wg.getOutputStream().close();
      String out = new String(wg.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (!wg.waitFor(10, TimeUnit.SECONDS) || wg.exitValue() != 0) {
        throw new IOException("wg pubkey failed: " + out);
      }
      return out;
    } finally {
      wg.destroyForcibly();
    }
  }

  static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.US_ASCII).trim();
  }
}
