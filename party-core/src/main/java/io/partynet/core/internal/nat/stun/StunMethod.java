package io.partynet.core.internal.nat.stun;

/**
 * The STUN methods the SDK speaks: Binding (RFC 8489) and the TURN methods (RFC 8656 section 18).
 * Constants only; thread-safe.
 */
public final class StunMethod {
  public static final int BINDING = 0x001;
  public static final int ALLOCATE = 0x003;
  public static final int REFRESH = 0x004;
  public static final int SEND = 0x006;
  public static final int DATA = 0x007;
  public static final int CREATE_PERMISSION = 0x008;
  public static final int CHANNEL_BIND = 0x009;

  /** Methods are 12 bits wide. */
  public static final int MAX = 0xFFF;

  private StunMethod() {}
}
