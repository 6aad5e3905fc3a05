package health.secondlook.server.packet;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The packet assembler with SecondLook's clock and size limit, and the signing seam. */
@Configuration(proxyBeanMethods = false)
class PacketConfiguration {

  @Bean
  PacketAssembler packetAssembler(
      FhirContext fhirContext,
      Clock clock,
      PacketProperties properties,
      StoredAttachments attachments) {
    return new PacketAssembler(
        fhirContext,
        clock,
        UUID::randomUUID,
        properties.maxInlineAttachmentBytes().toBytes(),
        attachments);
  }

  /**
   * Stand-in that returns the packet unchanged, i.e. unsigned. Replaced by the CDex signer when it
   * lands: a {@link PacketSigning} {@code @Component} anywhere under {@code
   * health.secondlook.server} takes over, since component scanning registers it before this
   * condition is checked.
   */
  @Bean
  @ConditionalOnMissingBean(PacketSigning.class)
  PacketSigning unsignedPackets() {
    return unsignedPacket -> unsignedPacket;
  }
}
