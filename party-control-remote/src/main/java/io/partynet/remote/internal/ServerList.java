package io.partynet.remote.internal;

import io.partynet.PartyConfig;
import io.partynet.protocol.internal.Protocol;
import io.partynet.spi.SettingKey;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane servers a client may use ({@code control.server-urls}: instances of one
 * deployment, e.g. an active one and a standby on one PostgreSQL database) and the one in use.
 * Every call and event-stream connection goes to the current server; a connection failure moves
 * the client to the next one in the list (round robin), so a client whose server died reaches
 * the one that took over without help from a load balancer. Thread-safe.
 */
final class ServerList {
  private static final Logger LOG = LoggerFactory.getLogger(ServerList.class);
  /** The most URLs one client takes. */
  static final int MAX_SERVERS = 8;
  /** Several servers of one deployment, first one used first. */
  static final SettingKey<List<String>> SERVER_URLS = SettingKey.ofHttpUrls("control.server-urls", MAX_SERVERS);

  private final List<URI> servers;
  private final List<HttpUrl> bases = new ArrayList<>();
  private final List<URI> eventUris = new ArrayList<>();
  private final AtomicInteger current = new AtomicInteger();

  ServerList(List<URI> servers) {
    if (servers.isEmpty() || servers.size() > MAX_SERVERS) {
      throw new IllegalArgumentException("need 1.." + MAX_SERVERS + " control server URLs: " + servers);
    }
    this.servers = List.copyOf(servers);
    for (URI server : this.servers) {
      bases.add(toHttpUrl(server));
      eventUris.add(toWebSocketUri(server));
    }
  }

  /** The first URL: names the deployment (tokens are saved under it, since every instance accepts them). */
  URI primary() {
    return servers.get(0);
  }

  int size() {
    return servers.size();
  }

  /** Index of the server in use. */
  int current() {
    return current.get();
  }

  HttpUrl base(int index) {
    return bases.get(index);
  }

  /** The event stream URL of the server in use. */
  URI currentEvents() {
    return eventUris.get(current.get());
  }

  /** Everything as one text, for messages. */
  String describe() {
    return servers.size() == 1 ? servers.get(0).toString() : servers.toString();
  }

  /** The server at {@code index} could not be reached: use the next one, unless another thread moved on already. */
  void unreachable(int index) {
    int next = (index + 1) % servers.size();
    if (next != index && current.compareAndSet(index, next)) {
      LOG.info("control plane server {} unreachable; failing over to {}", servers.get(index), servers.get(next));
    }
  }

  static HttpUrl toHttpUrl(URI server) {
    String scheme = server.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException("control server URL must start with http:// or https://: " + server);
    }
    String text = server.toString();
    HttpUrl url = HttpUrl.parse(text.endsWith("/") ? text : text + "/");
    if (url == null) {
      throw new IllegalArgumentException("not a valid control server URL: " + server);
    }
    return url;
  }

  private static URI toWebSocketUri(URI server) {
    String text = server.toString();
    String trimmed = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    String ws = trimmed.replaceFirst("^http", "ws");
    return URI.create(ws + Protocol.EVENTS);
  }

  /** {@code control.server-urls} (comma-separated) when set, otherwise {@code control.server-url}. */
  static List<URI> serversOf(PartyConfig config) {
    List<String> urls = SERVER_URLS.from(config);
    if (!urls.isEmpty()) {
      return urls.stream().map(URI::create).toList();
    }
    return config.controlServer() == null ? List.of() : List.of(config.controlServer());
  }
}
