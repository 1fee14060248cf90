package io.partynet.protocol.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.partynet.Endpoint;
import io.partynet.IpPrefix;

/**
 * JSON of protocol v1. The wire format is owned here (not shared with the SDK's state files) so
 * that a change to how a file is stored can never change the bytes a peer sends: ISO-8601 UTC
 * timestamps, map entries in key order, records read through their canonical constructors (so their validation runs on
 * everything received), absent (null) fields left out, and input limits so a hostile document
 * cannot exhaust memory.
 *
 * <p>The server's mapper is strict (unknown fields are rejected); the client's ignores unknown
 * fields so that a newer server can add fields within v1. Thread-safe: both mappers are
 * configured once and never changed.
 */
public final class ProtocolJson {
  private static final ObjectMapper STRICT = withoutCoercion(newMapper(true));
  private static final ObjectMapper LENIENT = newMapper(false);

  private ProtocolJson() {}

  /** What the server reads requests with. */
  public static ObjectMapper strict() {
    return STRICT;
  }

  /** What the client reads answers and events with. */
  public static ObjectMapper lenient() {
    return LENIENT;
  }

  /** Serialises a protocol value; the types here always serialise, so a failure is a bug. */
  public static String write(Object value) {
    try {
      return STRICT.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * A request means what it says: a JSON string is never read as a number or boolean ("80" as 80,
   * "Infinity" as a latency), a number or boolean never as a string, a fraction never as an integer.
   */
  private static ObjectMapper withoutCoercion(ObjectMapper mapper) {
    mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return mapper;
  }

  private static ObjectMapper newMapper(boolean rejectUnknownFields) {
    JsonMapper mapper = JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        // Map entries (signal data, resume sequence numbers) in key order: the same message is
        // always the same bytes, which the golden vectors rely on.
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, rejectUnknownFields)
        .configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, !rejectUnknownFields)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .addMixIn(Endpoint.class, EndpointMixin.class)
        .addMixIn(IpPrefix.class, IpPrefixMixin.class)
        .build();
    mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(64)
        .maxStringLength(Protocol.MAX_FRAME_BYTES)
        .maxNumberLength(64)
        .build());
    return mapper;
  }

  /** {@code isIpv6()} is derived, not state. */
  @JsonIgnoreProperties(value = {"ipv6"}, allowGetters = false)
  private abstract static class EndpointMixin {}

  /** {@code isIpv4()} is derived, not state. */
  @JsonIgnoreProperties(value = {"ipv4"}, allowGetters = false)
  private abstract static class IpPrefixMixin {}
}
