package io.partynet.remote.internal.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.core.internal.json.Json;

/**
 * JSON for the protocol, built on the SDK's shared mapper configuration; absent (null) fields
 * are left out. The server's mapper is
 * strict (unknown fields are rejected); the client's ignores unknown fields so that a newer server
 * can add fields within v1. Thread-safe: both mappers are configured once.
 */
public final class ProtocolJson {
  private static final ObjectMapper STRICT = withoutCoercion(configure(Json.newMapper()));
  private static final ObjectMapper LENIENT = configure(Json.newMapper())
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

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
    mapper.configure(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
    return mapper;
  }

  private static ObjectMapper configure(ObjectMapper mapper) {
    mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    mapper.addMixIn(Endpoint.class, EndpointMixin.class);
    mapper.addMixIn(IpPrefix.class, IpPrefixMixin.class);
    return mapper;
  }

  /** {@code isIpv6()} is derived, not state. */
  @JsonIgnoreProperties(value = {"ipv6"}, allowGetters = false)
  private abstract static class EndpointMixin {}

  /** {@code isIpv4()} is derived, not state. */
  @JsonIgnoreProperties(value = {"ipv4"}, allowGetters = false)
  private abstract static class IpPrefixMixin {}
}
