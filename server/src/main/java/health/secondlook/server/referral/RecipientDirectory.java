package health.secondlook.server.referral;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The receiving organisations a referral can be addressed to, by name ({@code
 * secondlook.recipients.<name>.display}). The referral Task's owner is the chosen one.
 */
@ConfigurationProperties("secondlook")
record RecipientDirectory(Map<String, Recipient> recipients) {

  /** A receiving organisation, as shown to the referring team. */
  record Recipient(String display) {}

  RecipientDirectory {
    recipients = recipients == null ? Map.of() : Map.copyOf(recipients);
  }

  Optional<Recipient> find(String name) {
    return Optional.ofNullable(recipients.get(name));
  }

  Set<String> names() {
    return recipients.keySet();
  }
}
