package io.partynet.protocol.internal;

import io.partynet.Key;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one definition of the member's private key file, {@code <keys dir>/private.key}: the key in
 * base64 on one line, as {@code wg genkey} writes it. party-core's key store creates and guards the
 * file (0600, lock); the remote client reads it to prove possession when registering. Both go
 * through here so that the format has one home. Stateless and thread-safe.
 */
public final class PrivateKeyFile {
  public static final String FILE_NAME = "private.key";
  /** A valid file is 45 bytes; anything much larger is not a key and is not read into memory. */
  static final int MAX_BYTES = 256;

  private PrivateKeyFile() {}

  /** The file in {@code keysDir}. */
  public static Path in(Path keysDir) {
    return keysDir.resolve(FILE_NAME);
  }

  /** The file's content for {@code privateKey}. */
  public static byte[] encode(Key privateKey) {
    return (privateKey.toBase64() + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Reads the private key in {@code file}.
   *
   * @throws IOException when the file cannot be read or holds no WireGuard private key; the message
   *     never quotes the content (it may be a slightly damaged private key)
   */
  public static Key read(Path file) throws IOException {
    if (Files.size(file) > MAX_BYTES) {
      throw notAKey(file);
    }
    String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).strip();
    try {
      return Key.fromBase64(text);
    } catch (IllegalArgumentException e) {
      throw notAKey(file);
    }
  }

  private static IOException notAKey(Path file) {
    return new IOException(file + " does not hold a WireGuard private key (44 base64 characters, as "
        + "'wg genkey' writes). Move the file away to have a new key generated, or restore it from a backup.");
  }
}
