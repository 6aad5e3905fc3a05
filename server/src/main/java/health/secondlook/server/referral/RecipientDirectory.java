package health.secondlook.server.referral;

import health.secondlook.server.delivery.RecipientDelivery;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The receiving organisations a referral can be addressed to, by name ({@code
 * secondlook.recipients.<name>.display}), and how each gets its packets ({@code
 * secondlook.recipients.<name>.delivery.*}, see {@link RecipientDelivery}). The referral Task's
 * owner is the chosen one. Checked as it is bound: a recipient to push to without a {@code
 * base-url} stops start-up with a message naming the setting.
 */
@ConfigurationProperties("secondlook")
public record RecipientDirectory(Map<String, Recipient> recipients) {

  static final String PREFIX = "secondlook.recipients";

  /** A receiving organisation, as shown to the referring team, and how packets reach it. */
  public record Recipient(String display, @DefaultValue RecipientDelivery delivery) {

    public Recipient {
      delivery = delivery == null ? RecipientDelivery.none() : delivery;
    }
  }

  public RecipientDirectory {
    recipients = recipients == null ? Map.of() : Map.copyOf(recipients);
    List<String> problems =
        recipients.entrySet().stream()
            .flatMap(
                e ->
                    e
                        .getValue()
                        .delivery()
                        .problems(PREFIX + "." + e.getKey() + ".delivery.")
                        .stream())
            .sorted()
            .toList();
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  public Optional<Recipient> find(String name) {
    return Optional.ofNullable(recipients.get(name));
  }

  public Set<String> names() {
    return recipients.keySet();
  }
}
