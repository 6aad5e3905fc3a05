package health.secondlook.server.packet;

import health.secondlook.server.signing.PacketSignatures;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.stereotype.Component;

/**
 * Signs each packet as SecondLook, the author, following the CDex signature rules, before it is
 * stored: from then on it is immutable and any recipient can verify it.
 */
@Component
class CdexPacketSigning implements PacketSigning {

  private final PacketSignatures signatures;

  CdexPacketSigning(PacketSignatures signatures) {
    this.signatures = signatures;
  }

  @Override
  public Bundle sign(Bundle unsignedPacket) {
    return signatures.sign(unsignedPacket);
  }
}
