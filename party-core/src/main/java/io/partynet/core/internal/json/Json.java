package io.partynet.core.internal.json;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Party;

/**
 * The one JSON mapper configuration the SDK uses for state files, the discovery file and the
 * control-plane protocol: ISO-8601 timestamps, records through their canonical constructors
 * (so their validation runs on everything read back), unknown properties rejected, and input
 * size limits so a hostile document cannot exhaust memory.
 *
 * <p>Thread-safe: the shared mapper is never reconfigured after construction.
 */
public final class Json {
  private static final ObjectMapper MAPPER = newMapper();

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static ObjectMapper newMapper() {
    JsonMapper mapper = JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .addMixIn(Party.class, PartyMixin.class)
        .addMixIn(Endpoint.class, EndpointMixin.class)
        .addMixIn(IpPrefix.class, IpPrefixMixin.class)
        .build();
    mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(64)
        .maxStringLength(1 << 20)
        .maxNumberLength(64)
        .build());
    return mapper;
  }

  // The API's records have helper methods that look like bean getters (getPeerList, isIpv6, ...).
  // They are derived views, not state: keep them out of the JSON so that strict reading accepts
  // exactly what was written.

  @JsonIgnoreProperties({"peerList"})
  private abstract static class PartyMixin {}

  @JsonIgnoreProperties({"ipv6"})
  private abstract static class EndpointMixin {}

  @JsonIgnoreProperties({"ipv4"})
  private abstract static class IpPrefixMixin {}
}
