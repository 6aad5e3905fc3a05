package health.secondlook.server.referral;

import health.secondlook.server.delivery.RecipientDelivery;
import health.secondlook.server.smart.LaunchClient;
import java.util.ArrayList;
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

  /**
   * A receiving organisation, as shown to the referring team, and how packets reach it.
   *
   * @param signIn the organisation's OpenID Connect identity provider its specialists sign in to
   *     SecondLook's pages with ({@code issuer} is the OpenID issuer); none when {@code null}
   * @param launch SecondLook as a SMART App Launch client of the specialists' own EHR ({@code
   *     issuer} is its FHIR base URL), which opens the packet viewer with a referral's Task in
   *     context; none when {@code null}
   */
  public record Recipient(
      String display,
      @DefaultValue RecipientDelivery delivery,
      LaunchClient signIn,
      LaunchClient launch) {

    public Recipient {
      delivery = delivery == null ? RecipientDelivery.none() : delivery;
    }
  }

  public RecipientDirectory {
    recipients = recipients == null ? Map.of() : Map.copyOf(recipients);
    List<String> problems =
        recipients.entrySet().stream()
            .flatMap(e -> problems(PREFIX + "." + e.getKey() + ".", e.getValue()).stream())
            .sorted()
            .toList();
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  private static List<String> problems(String prefix, Recipient recipient) {
    List<String> problems = new ArrayList<>(recipient.delivery().problems(prefix + "delivery."));
    for (String part : List.of("sign-in", "launch")) {
      LaunchClient client = part.equals("sign-in") ? recipient.signIn() : recipient.launch();
      if (client != null) {
        problems.addAll(client.problems(prefix + part + "."));
        if (client.issuer() == null) {
          problems.add(prefix + part + ".issuer: required");
        }
      }
    }
    return problems;
  }

  public Optional<Recipient> find(String name) {
    return Optional.ofNullable(recipients.get(name));
  }

  public Set<String> names() {
    return recipients.keySet();
  }
}
