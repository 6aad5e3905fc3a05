package health.secondlook.server.packet;

import org.hl7.fhir.r4.model.Bundle;

/**
 * Signs an assembled packet before it is stored: the one step between {@link PacketAssembler} and
 * storage. Whatever it returns is the packet as final; nothing downstream changes it, and once
 * stored it cannot be updated or deleted ({@link PacketImmutability}).
 */
public interface PacketSigning {

  /**
   * The packet to store and send: {@code unsignedPacket} with {@code Bundle.signature} set, or a
   * signed copy of it.
   */
  Bundle sign(Bundle unsignedPacket);
}
