package io.partynet.server.internal;

import static io.partynet.server.internal.ServerFixture.peer;
import static io.partynet.server.internal.ServerFixture.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.partynet.ControlPlaneUnavailableException;
import io.partynet.Key;
import io.partynet.remote.internal.RemoteControlPlaneClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS and WSS served directly by the server from a keystore; the client trusts a private CA. */
class TlsTest {
  private static final String PASSWORD = "test-only-password";

  @TempDir Path dir;

  @Test
  void clientTalksToTheServerOverTlsAndRefusesAnUntrustedCertificate() throws Exception {
    Path keystore = dir.resolve("server.p12");
    generateKeystore(keystore);
    try (ServerFixture fx = new ServerFixture(dir, b -> b.tls(keystore, PASSWORD))) {
      URI https = URI.create("https://127.0.0.1:" + fx.port);
      X509TrustManager trust = trustManager(keystore);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
      Key key = randomKey();
      try (RemoteControlPlaneClient client = RemoteControlPlaneClient.builder(https).tls(context, trust)
          .keyring(ServerFixture::privateKeyOf)
          .requestTimeout(Duration.ofSeconds(20)).build()) {
        EventRecorder events = new EventRecorder();
        client.addListener(events);
        client.start("secure", key).join();
        String party = client.createParty("tls", peer("secure", key)).join().partyId();
        ServerFixture.await("event stream over wss", Duration.ofSeconds(20), client::isConnected);
        assertEquals(1, client.getParty(party).join().orElseThrow().peers().size());
      }
      try (RemoteControlPlaneClient untrusting = RemoteControlPlaneClient.builder(https)
          .requestTimeout(Duration.ofSeconds(20)).build()) {
        CompletionException e = assertThrows(CompletionException.class,
            () -> untrusting.start("other", randomKey()).join());
        assertInstanceOf(ControlPlaneUnavailableException.class, e.getCause());
      }
    }
  }

  private static void generateKeystore(Path keystore) throws IOException, InterruptedException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    assumeTrue(Files.isExecutable(keytool), "keytool is not available in this JDK: " + keytool);
    Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD,
        "-keypass", PASSWORD)).redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("keytool did not finish");
    }
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.exitValue(), out);
  }

  private static X509TrustManager trustManager(Path keystore) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    return (X509TrustManager) tmf.getTrustManagers()[0];
  }
}
