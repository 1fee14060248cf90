package io.partynet.core.internal.persist;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The child process of {@link PersisterCrashTest}: resumes the counter from the state file and
 * writes ever larger counters until it is killed. On standard output it reports {@code wrote N}
 * before it hands counter N to the persister, and {@code durable N} once a flush that covers N
 * has completed, so the parent knows which states really were written and which must survive.
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
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    try (WriteBehindStatePersister persister = WriteBehindStatePersister.builder(file)
        .batchDelay(Duration.ofMillis(1)).open()) {
      long counter = persister.read("record", Record.class).map(Record::counter).orElse(0L);
      out.println("loaded " + counter);
      out.flush();
      while (true) {
        counter++;
        out.println("wrote " + counter);
        out.flush();
        persister.write("record", Record.of(counter));
        if (counter % 5 == 0) {
          persister.flush().get(30, TimeUnit.SECONDS);
          out.println("durable " + counter);
          out.flush();
        }
      }
    }
  }
}
