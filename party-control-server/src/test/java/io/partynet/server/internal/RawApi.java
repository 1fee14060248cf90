package io.partynet.server.internal;

import io.partynet.Key;
import io.partynet.protocol.internal.ChallengeResponse;
import io.partynet.protocol.internal.CreatePartyRequest;
import io.partynet.protocol.internal.ErrorBody;
import io.partynet.protocol.internal.KeyProof;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.RegisterRequest;
import io.partynet.protocol.internal.RegisterResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Hand-made HTTP requests, for tests that must send what the real client never would. */
final class RawApi {
  static final MediaType JSON = MediaType.get("application/json");

  final OkHttpClient http;
  private final String base;

  RawApi(int port) {
    this("http://127.0.0.1:" + port, new OkHttpClient.Builder()
        .callTimeout(Duration.ofSeconds(10))
        .retryOnConnectionFailure(false)
        .build());
  }

  private RawApi(String base, OkHttpClient http) {
    this.base = base;
    this.http = http;
  }

  /** The same API with every call bounded by {@code timeout} (a call that takes longer fails). */
  RawApi withCallTimeout(Duration timeout) {
    return new RawApi(base, http.newBuilder().callTimeout(timeout).build());
  }

  /** An answer: status and body text. */
  record Answer(int status, String body) {
    String code() {
      try {
        return ProtocolJson.lenient().readValue(body, ErrorBody.class).code();
      } catch (IOException e) {
        throw new AssertionError("not a JSON error body (" + status + "): " + body, e);
      }
    }

    <T> T as(Class<T> type) {
      try {
        return ProtocolJson.lenient().readValue(body, type);
      } catch (IOException e) {
        throw new AssertionError("cannot read " + type.getSimpleName() + " from " + body, e);
      }
    }
  }

  /** Registers with a valid proof of possession (the key must come from {@link ServerFixture#randomKey()}). */
  String register(String peerId, Key key) {
    Answer a = send("POST", Protocol.PEERS, null, ProtocolJson.write(provenRequest(peerId, key, ServerFixture.privateKeyOf(key))));
    if (a.status != 201) {
      throw new AssertionError("registration failed: " + a);
    }
    return a.as(RegisterResponse.class).token();
  }

  /** A registration of {@code publicKey} proved with {@code privateKey} (which may be the wrong one). */
  RegisterRequest provenRequest(String peerId, Key publicKey, Key privateKey) {
    ChallengeResponse challenge = send("POST", Protocol.CHALLENGE, null, null).as(ChallengeResponse.class);
    String proof = KeyProof.prove(privateKey, Key.fromBase64(challenge.serverKey()), challenge.nonce(), peerId, publicKey);
    return new RegisterRequest(peerId, publicKey.toBase64(), challenge.nonce(), proof);
  }

  /** The peer {@code hostId} (registered with {@code hostKey}, token {@code token}) creates a party; its id. */
  String createParty(String token, String name, String hostId, Key hostKey) {
    Answer a = send("POST", Protocol.PARTIES, token, ProtocolJson.write(new CreatePartyRequest(name,
        ServerFixture.peer(hostId, hostKey))));
    if (a.status != 201) {
      throw new AssertionError("creating party " + name + " failed: " + a);
    }
    return a.as(PartyResponse.class).party().partyId();
  }

  /** The peer {@code peerId} (registered with {@code key}) joins {@code party} (an id or invite code). */
  Answer join(String token, String party, String peerId, Key key) {
    return send("POST", Protocol.members(party), token, ProtocolJson.write(ServerFixture.peer(peerId, key)));
  }

  Answer send(String method, String path, String token, String body) {
    Request.Builder b = new Request.Builder().url(base + path);
    if (token != null) {
      b.header(Protocol.AUTHORIZATION, Protocol.BEARER + token);
    }
    return send(b, method, body);
  }

  Answer send(Request.Builder b, String method, String body) {
    RequestBody rb = body == null
        ? (method.equals("POST") || method.equals("PUT") ? RequestBody.create(new byte[0], JSON) : null)
        : RequestBody.create(body, JSON);
    try (Response r = http.newCall(b.method(method, rb).build()).execute()) {
      return new Answer(r.code(), r.body() == null ? "" : r.body().string());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " failed", e);
    }
  }

  void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
