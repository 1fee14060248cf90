package io.partynet.server.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Latency samples in nanoseconds from many threads, read as percentiles in milliseconds. */
final class Latencies {
  private final ConcurrentLinkedQueue<Long> samples = new ConcurrentLinkedQueue<>();

  void add(long nanos) {
    samples.add(nanos);
  }

  int count() {
    return samples.size();
  }

  /** The {@code p}-th percentile (nearest rank) in milliseconds; NaN without samples. */
  double ms(double p) {
    List<Long> sorted = new ArrayList<>(samples);
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    sorted.sort(null);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1e6;
  }
}
