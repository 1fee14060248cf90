package io.partynet.wireguard.jna.internal.netlink;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Pure codec of the generic netlink controller's family lookup (linux/genetlink.h):
 * CTRL_CMD_GETFAMILY sent to GENL_ID_CTRL with CTRL_ATTR_FAMILY_NAME, answered with
 * CTRL_ATTR_FAMILY_ID. Stateless and thread-safe.
 */
final class GenlMessages {
  static final int GENL_ID_CTRL = 0x10;
  static final int CTRL_CMD_NEWFAMILY = 1;
  static final int CTRL_CMD_GETFAMILY = 3;
  static final int CTRL_ATTR_FAMILY_ID = 1;
  static final int CTRL_ATTR_FAMILY_NAME = 2;
  static final int CTRL_VERSION = 1;

  private GenlMessages() {}

  static byte[] getFamily(String name) {
    NetlinkWriter w = new NetlinkWriter(GENL_ID_CTRL, NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_ACK, 256);
    w.struct(new GenlMsgHdr(CTRL_CMD_GETFAMILY, CTRL_VERSION));
    w.string(CTRL_ATTR_FAMILY_NAME, name);
    return w.finish();
  }

  static int parseFamilyId(List<NetlinkMessage> answer, String name) throws MalformedNetlinkException {
    for (NetlinkMessage m : answer) {
      if (m.header().type() != GENL_ID_CTRL) {
        continue;
      }
      ByteBuffer payload = m.payloadBuffer();
      GenlMsgHdr.parse(payload);
      List<Attribute> attributes = Attribute.parseAll(payload);
      if (Attribute.first(attributes, CTRL_ATTR_FAMILY_NAME).map(Attribute::string).filter(name::equals).isPresent()) {
        Attribute id = Attribute.first(attributes, CTRL_ATTR_FAMILY_ID)
            .orElseThrow(() -> new MalformedNetlinkException("family answer without CTRL_ATTR_FAMILY_ID"));
        return id.u16();
      }
    }
    throw new MalformedNetlinkException("the controller's answer does not describe family " + name);
  }
}
