package io.partynet.server.internal.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.partynet.server.internal.events.EventHub;
import io.partynet.server.internal.store.PostgresStore;
import io.partynet.server.internal.store.ServerStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * The server's figures in the Prometheus text exposition format (version 0.0.4) at {@code GET
 * /metrics}: requests by route and status, their latency as a histogram by route, and gauges read
 * when scraped (parties, members, event streams, requests in flight, database pool...). Routes
 * are the route templates ({@code /v1/parties/{party}}), never ids, so the number of series is
 * bounded. Written by hand: the format is a few lines of text and needs no library. Thread-safe.
 */
public final class ServerMetrics {
  public static final String PATH = "/metrics";
  private static final String START = "partynet.metrics.start";
  /** The route label of requests answered before routing: unknown paths, and refusals (401, 429) by the filters. */
  static final String UNROUTED = "unrouted";
  /** Upper bounds of the latency buckets, in seconds. */
  private static final double[] BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
  private final LongAdder cleanupRuns = new LongAdder();
  private final List<Gauge> gauges = new ArrayList<>();

  private record Gauge(String name, String help, String type, DoubleSupplier value) {}

  /** The server's standard gauges over its parts. */
  public static ServerMetrics of(java.util.function.IntSupplier parties, java.util.function.IntSupplier members, EventHub hub,
      RequestGate gate, ServerStore store) {
    ServerMetrics m = new ServerMetrics()
        .gauge("partynet_parties", "Parties that exist now.", "gauge", parties::getAsInt)
        .gauge("partynet_members", "Members of all parties now.", "gauge", members::getAsInt)
        .gauge("partynet_event_streams", "Open event-stream WebSockets.", "gauge", hub::sessionCount)
        .gauge("partynet_events_sent_total", "Event frames sent to WebSockets (fan-out and resumes).", "counter",
            hub::framesSent)
        .gauge("partynet_requests_in_flight", "Requests being handled now (health checks aside).", "gauge",
            gate::inFlight);
    if (store instanceof PostgresStore postgres) {
      m.gauge("partynet_db_pool_active", "Database connections in use.", "gauge", () -> postgres.poolStats().active())
          .gauge("partynet_db_pool_idle", "Idle database connections.", "gauge", () -> postgres.poolStats().idle())
          .gauge("partynet_db_pool_waiting", "Threads waiting for a database connection.", "gauge",
              () -> postgres.poolStats().waiting())
          .gauge("partynet_db_pool_max", "Database connections at most.", "gauge", () -> postgres.poolStats().max());
    }
    return m;
  }

  /** A value read when scraped ({@code type} gauge or counter). */
  synchronized ServerMetrics gauge(String name, String help, String type, DoubleSupplier value) {
    gauges.add(new Gauge(name, help, type, value));
    return this;
  }

  public void cleanupRan() {
    cleanupRuns.increment();
  }

  /** Times every request and serves {@link #PATH}. */
  public void install(Javalin app) {
    app.before(ctx -> ctx.attribute(START, System.nanoTime()));
    app.after(this::record);
    app.get(PATH, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(render()));
  }

  private void record(Context ctx) {
    Long start = ctx.attribute(START);
    if (start == null || PATH.equals(ctx.path())) {
      return;
    }
    String route = routeOf(ctx);
    String key = route + "\u0000" + ctx.method().name() + "\u0000" + ctx.statusCode();
    requests.computeIfAbsent(key, k -> new LongAdder()).increment();
    latency.computeIfAbsent(route, r -> new Histogram()).observe((System.nanoTime() - start) / 1e9);
  }

  private static String routeOf(Context ctx) {
    try {
      String template = ctx.endpointHandlerPath();
      return template != null && template.startsWith("/") ? template : UNROUTED;
    } catch (RuntimeException e) {
      return UNROUTED;
    }
  }

  /** The whole exposition, metric families in a fixed order. */
  synchronized String render() {
    StringBuilder out = new StringBuilder(4096);
    out.append("# HELP partynet_requests_total HTTP requests answered, by route template, method and status.\n")
        .append("# TYPE partynet_requests_total counter\n");
    requests.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      String[] parts = e.getKey().split("\u0000");
      out.append("partynet_requests_total{route=\"").append(escape(parts[0])).append("\",method=\"").append(parts[1])
          .append("\",status=\"").append(parts[2]).append("\"} ").append(e.getValue().sum()).append('\n');
    });
    out.append("# HELP partynet_request_duration_seconds Time to answer a request, by route template.\n")
        .append("# TYPE partynet_request_duration_seconds histogram\n");
    latency.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> e.getValue().render(out, escape(e.getKey())));
    out.append("# HELP partynet_cleanup_runs_total Runs of the stale-member cleanup.\n")
        .append("# TYPE partynet_cleanup_runs_total counter\n")
        .append("partynet_cleanup_runs_total ").append(cleanupRuns.sum()).append('\n');
    for (Gauge g : gauges) {
      out.append("# HELP ").append(g.name).append(' ').append(g.help).append('\n')
          .append("# TYPE ").append(g.name).append(' ').append(g.type).append('\n')
          .append(g.name).append(' ').append(number(g.value.getAsDouble())).append('\n');
    }
    return out.toString();
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
        : java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  private static String escape(String label) {
    return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** Cumulative buckets as Prometheus wants them, plus sum and count. */
  private static final class Histogram {
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS.length + 1);
    private final LongAdder sumMicros = new LongAdder();

    void observe(double seconds) {
      int i = 0;
      while (i < BUCKETS.length && seconds > BUCKETS[i]) {
        i++;
      }
      counts.incrementAndGet(i);
      sumMicros.add(Math.round(seconds * 1e6));
    }

    void render(StringBuilder out, String route) {
      long cumulative = 0;
      for (int i = 0; i <= BUCKETS.length; i++) {
        cumulative += counts.get(i);
        String le = i < BUCKETS.length ? number(BUCKETS[i]) : "+Inf";
        out.append("partynet_request_duration_seconds_bucket{route=\"").append(route).append("\",le=\"").append(le)
            .append("\"} ").append(cumulative).append('\n');
      }
      out.append("partynet_request_duration_seconds_sum{route=\"").append(route).append("\"} ")
          .append(String.format(Locale.ROOT, "%.6f", sumMicros.sum() / 1e6)).append('\n');
      out.append("partynet_request_duration_seconds_count{route=\"").append(route).append("\"} ").append(cumulative)
          .append('\n');
    }
  }
}
