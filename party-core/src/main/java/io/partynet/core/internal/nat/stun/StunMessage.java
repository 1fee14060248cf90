package io.partynet.core.internal.nat.stun;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A STUN message: class, method, transaction id and attributes in wire order. Immutable (the list
 * is copied) and thread-safe.
 */
public record StunMessage(
    MessageClass messageClass, int method, TransactionId transactionId, List<StunAttribute> attributes) {

  /** Upper bound on attributes in one message, decoded or built: no real message has more. */
  public static final int MAX_ATTRIBUTES = 64;

  public StunMessage {
    Objects.requireNonNull(messageClass, "messageClass");
    Objects.requireNonNull(transactionId, "transactionId");
    if (method < 0 || method > StunMethod.MAX) {
      throw new IllegalArgumentException("method must be 12 bits: " + method);
    }
    attributes = List.copyOf(attributes);
    if (attributes.size() > MAX_ATTRIBUTES) {
      throw new IllegalArgumentException("more than " + MAX_ATTRIBUTES + " attributes");
    }
  }

  public static StunMessage request(int method, List<StunAttribute> attributes) {
    return new StunMessage(MessageClass.REQUEST, method, TransactionId.random(), attributes);
  }

  public static StunMessage indication(int method, List<StunAttribute> attributes) {
    return new StunMessage(MessageClass.INDICATION, method, TransactionId.random(), attributes);
  }

  /** The first attribute of this type, if any (RFC 8489: only the first of a type counts). */
  public Optional<StunAttribute> attribute(int type) {
    return attributes.stream().filter(a -> a.type() == type).findFirst();
  }

  public <T extends StunAttribute> Optional<T> attribute(int type, Class<T> kind) {
    return attribute(type).filter(kind::isInstance).map(kind::cast);
  }

  public Optional<StunAttribute.Address> address(int type) {
    return attribute(type, StunAttribute.Address.class);
  }

  public Optional<String> text(int type) {
    return attribute(type, StunAttribute.Text.class).map(StunAttribute.Text::value);
  }

  public Optional<StunAttribute.ErrorCode> errorCode() {
    return attribute(AttributeType.ERROR_CODE, StunAttribute.ErrorCode.class);
  }

  /** Comprehension-required types this codec did not understand; non-empty means reject the message. */
  public List<Integer> unknownComprehensionRequired() {
    List<Integer> unknown = new ArrayList<>();
    for (StunAttribute a : attributes) {
      if (a instanceof StunAttribute.Unrecognized u && u.comprehensionRequired()) {
        unknown.add(u.type());
      }
    }
    return unknown;
  }

  /** This message without MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT, ready to be re-encoded. */
  public StunMessage withoutProtection() {
    List<StunAttribute> kept = new ArrayList<>();
    for (StunAttribute a : attributes) {
      if (!(a instanceof StunAttribute.Integrity) && !(a instanceof StunAttribute.Fingerprint)) {
        kept.add(a);
      }
    }
    return new StunMessage(messageClass, method, transactionId, kept);
  }

  /** A response of the given class to this request, with the same method and transaction id. */
  public StunMessage response(MessageClass responseClass, List<StunAttribute> responseAttributes) {
    return new StunMessage(responseClass, method, transactionId, responseAttributes);
  }
}
