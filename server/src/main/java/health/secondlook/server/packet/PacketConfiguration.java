package health.secondlook.server.packet;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The packet assembler with SecondLook's clock and size limit. */
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
}
