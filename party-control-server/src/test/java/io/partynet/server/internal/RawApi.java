package io.partynet.server.internal;

import io.partynet.Key;
import io.partynet.protocol.internal.ErrorBody;
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

  final OkHttpClient http = new OkHttpClient.Builder()
      .callTimeout(Duration.ofSeconds(10))
      .retryOnConnectionFailure(false)
      .build();
  private final String base;

  RawApi(int port) {
    this.base = "http://127.0.0.1:" + port;
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

  String register(String peerId, Key key) {
    Answer a = send("POST", Protocol.PEERS, null, ProtocolJson.write(new RegisterRequest(peerId, key.toBase64())));
    if (a.status != 201) {
      throw new AssertionError("registration failed: " + a);
    }
    return a.as(RegisterResponse.class).token();
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
