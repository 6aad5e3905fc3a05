package health.secondlook.server.packet;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How packets are assembled.
 *
 * @param maxInlineAttachmentBytes attachments larger than this stay on SecondLook as a {@code
 *     Binary} the packet links to by URL; smaller ones travel inside the packet
 */
@ConfigurationProperties("secondlook.packet")
record PacketProperties(@DefaultValue("1MB") DataSize maxInlineAttachmentBytes) {}
