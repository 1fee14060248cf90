package io.partynet.core.internal.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The child process of {@link PersisterCrashTest}: resumes the counter from the state file and
 * writes ever larger counters until it is killed. To a report file it appends {@code wrote N}
 * before it hands counter N to the persister, and {@code durable N} once a flush that covers N
 * has completed, so the parent knows which states really were written and which must survive.
 * Each line is one {@code write(2)} to a file, so a SIGKILL cannot lose a line already reported.
 */
public final class CrashingWriter {
  private CrashingWriter() {}

  /** One consistent state: the payload is derived from the counter so a torn mix is detectable. */
  public record Record(long counter, String payload) {
    static Record of(long counter) {
      String unit = Long.toString(counter, 36) + ";";
      return new Record(counter, unit.repeat(200 + (int) (counter % 97) * 40));
    }
  }

  public static void main(String[] args)
      throws IOException, InterruptedException, ExecutionException, TimeoutException {
    Path file = Path.of(args[0]);
    try (FileChannel report = FileChannel.open(Path.of(args[1]), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        WriteBehindStatePersister persister = WriteBehindStatePersister.builder(file)
            .batchDelay(Duration.ofMillis(1)).open()) {
      long counter = persister.read("record", Record.class).map(Record::counter).orElse(0L);
      report(report, "loaded " + counter);
      while (true) {
        counter++;
        report(report, "wrote " + counter);
        persister.write("record", Record.of(counter));
        if (counter % 5 == 0) {
          persister.flush().get(30, TimeUnit.SECONDS);
          report(report, "durable " + counter);
        }
      }
    }
  }

  private static void report(FileChannel report, String line) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      report.write(bytes);
    }
  }
}
