package io.partynet.wireguard.jna.internal.nt;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.IntSupplier;

/**
 * An open wireguard-nt adapter handle. Configuration buffers hold the private key, so the native
 * copies are zeroed before they are freed. {@link #close()} releases the handle (and removes the adapter
 * when it was created through it); calls after that fail with {@link IllegalStateException}.
 *
 * <p>Thread-safe: calls are serialised on the adapter.
 */
public final class WireGuardNtAdapter implements AutoCloseable {
  /** A first GetConfiguration buffer that fits an interface with a handful of peers. */
  static final int INITIAL_GET_BUFFER = 4096;
  /** The configuration can grow between the size query and the retry; give up after this many rounds. */
  static final int MAX_GET_ATTEMPTS = 5;

  private final WireGuardNtLibrary library;
  private final IntSupplier lastError;
  private final String name;
  private Pointer handle;

  WireGuardNtAdapter(WireGuardNtLibrary library, IntSupplier lastError, Pointer handle, String name) {
    this.library = library;
    this.lastError = lastError;
    this.handle = handle;
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** The adapter's {@code NET_LUID}, which the IP Helper API uses to address it. */
  public synchronized long luid() {
    LongByReference luid = new LongByReference();
    library.WireGuardGetAdapterLUID(open(), luid);
    return luid.getValue();
  }

  public synchronized void setLogging(int logState) throws IOException {
    if (!library.WireGuardSetAdapterLogging(open(), logState)) {
      throw failure("WireGuardSetAdapterLogging");
    }
  }

  /** Raises the adapter (its sockets then belong to this process) or takes it down. */
  public synchronized void setUp(boolean up) throws IOException {
    int state = up ? WireGuardNtLibrary.ADAPTER_STATE_UP : WireGuardNtLibrary.ADAPTER_STATE_DOWN;
    if (!library.WireGuardSetAdapterState(open(), state)) {
      throw failure("WireGuardSetAdapterState(" + (up ? "UP" : "DOWN") + ")");
    }
  }

  public synchronized boolean isUp() throws IOException {
    IntByReference state = new IntByReference();
    if (!library.WireGuardGetAdapterState(open(), state)) {
      throw failure("WireGuardGetAdapterState");
    }
    return state.getValue() == WireGuardNtLibrary.ADAPTER_STATE_UP;
  }

  public synchronized void setConfiguration(NtInterface config) throws IOException {
    ByteBuffer bytes = NtConfigCodec.encode(config);
    try (Memory memory = new Memory(bytes.remaining())) {
      memory.write(0, bytes.array(), 0, bytes.remaining());
      boolean ok = library.WireGuardSetConfiguration(open(), memory, bytes.remaining());
      int error = ok ? 0 : lastError.getAsInt();
      memory.clear();
      if (!ok) {
        throw WindowsErrors.failure("WireGuardSetConfiguration on adapter " + name, error);
      }
    } finally {
      Arrays.fill(bytes.array(), (byte) 0);
    }
  }

  /** What the driver holds now, with per-peer counters and handshake times. */
  public synchronized NtInterface configuration() throws IOException {
    int size = INITIAL_GET_BUFFER;
    for (int attempt = 0; attempt < MAX_GET_ATTEMPTS; attempt++) {
      IntByReference bytes = new IntByReference(size);
      try (Memory memory = new Memory(size)) {
        boolean ok = library.WireGuardGetConfiguration(open(), memory, bytes);
        int error = ok ? 0 : lastError.getAsInt();
        if (ok) {
          int length = bytes.getValue();
          if (length < 0 || length > size) {
            memory.clear();
            throw new NtConfigFormatException("WireGuardGetConfiguration reported " + Integer.toUnsignedString(length)
                + " bytes for a buffer of " + size);
          }
          byte[] copy = memory.getByteArray(0, length);
          memory.clear();
          try {
            return NtConfigCodec.decode(ByteBuffer.wrap(copy));
          } finally {
            Arrays.fill(copy, (byte) 0);
          }
        }
        if (error != WindowsErrors.ERROR_MORE_DATA) {
          throw WindowsErrors.failure("WireGuardGetConfiguration on adapter " + name, error);
        }
        if (bytes.getValue() <= size || bytes.getValue() < 0) {
          throw new IOException("WireGuardGetConfiguration asked for more room but reported "
              + Integer.toUnsignedString(bytes.getValue()) + " bytes for a buffer of " + size);
        }
        size = bytes.getValue();
      }
    }
    throw new IOException("the configuration of adapter " + name + " kept growing during "
        + MAX_GET_ATTEMPTS + " reads; retry");
  }

  /** Releases the handle; removes the adapter when this handle created it. Idempotent. */
  @Override
  public synchronized void close() {
    if (handle != null) {
      library.WireGuardCloseAdapter(handle);
      handle = null;
    }
  }

  private Pointer open() {
    if (handle == null) {
      throw new IllegalStateException("adapter " + name + " is closed");
    }
    return handle;
  }

  private IOException failure(String operation) {
    return WindowsErrors.failure(operation + " on adapter " + name, lastError.getAsInt());
  }
}
