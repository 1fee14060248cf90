package io.partynet.server.internal.http;

import io.javalin.Javalin;
import io.partynet.protocol.internal.Protocol;
import jakarta.servlet.DispatcherType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The Javalin application (on Jetty) a {@code ControlServer} serves through, before any route is
 * installed: body and frame size limits, JSON error pages, the {@link RequestGate} in front of every
 * request, and with a keystore an HTTPS/WSS connector (TLS 1.3 and 1.2) instead of plain HTTP.
 * Stateless.
 */
public final class HttpFrontEnd {
  /** Where and how to listen; {@code keystore} null for plain HTTP. */
  public record Listener(String host, int port, Path keystore, String keystorePassword) {}

  private HttpFrontEnd() {}

  public static Javalin create(Listener listener, RequestGate gate) {
    return Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.startupWatcherEnabled = false;
      config.http.maxRequestSize = Protocol.MAX_BODY_BYTES;
      config.http.prefer405over404 = true;
      config.jetty.modifyServer(server -> {
        server.setStopAtShutdown(false);
        server.setErrorHandler(new JsonErrors());
      });
      config.jetty.modifyServletContextHandler(handler -> {
        handler.setErrorHandler(new JsonErrors());
        handler.addFilter(new FilterHolder(gate), "/*", EnumSet.of(DispatcherType.REQUEST));
      });
      config.jetty.modifyWebSocketServletFactory(factory -> {
        factory.setMaxTextMessageSize(Protocol.MAX_FRAME_BYTES);
        factory.setMaxBinaryMessageSize(1024);
        factory.setIdleTimeout(Duration.ofMinutes(2));
      });
      if (listener.keystore() != null) {
        config.jetty.addConnector((server, httpConfig) -> tlsConnector(listener, server, httpConfig));
      }
    });
  }

  private static ServerConnector tlsConnector(Listener listener, Server server, HttpConfiguration httpConfig) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(listener.keystore().toAbsolutePath().toString());
    ssl.setKeyStorePassword(listener.keystorePassword());
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    HttpConfiguration https = new HttpConfiguration(httpConfig);
    https.addCustomizer(new SecureRequestCustomizer(false));
    ServerConnector connector = new ServerConnector(server,
        new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
    connector.setHost(listener.host());
    connector.setPort(listener.port());
    return connector;
  }
}
