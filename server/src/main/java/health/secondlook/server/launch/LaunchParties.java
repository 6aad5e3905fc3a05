package health.secondlook.server.launch;

import health.secondlook.server.ehr.EhrDirectory;
import health.secondlook.server.launch.LaunchParty.Kind;
import health.secondlook.server.referral.RecipientDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Every party configured for sign-in: each referring EHR with a {@code launch} client, and each
 * receiving organisation with a {@code sign-in} identity provider or a {@code launch} client of its
 * own EHR. A launch from an {@code iss} not listed here is refused.
 */
@Component
class LaunchParties {

  private final List<LaunchParty> parties = new ArrayList<>();

  LaunchParties(EhrDirectory ehrs, RecipientDirectory recipients) {
    for (String name : ehrs.names()) {
      ehrs.find(name)
          .flatMap(ehr -> ehr.launch())
          .ifPresent(client -> parties.add(LaunchParty.of(Kind.REFERRER_LAUNCH, name, client)));
    }
    for (String name : recipients.names()) {
      RecipientDirectory.Recipient recipient = recipients.find(name).orElseThrow();
      if (recipient.launch() != null) {
        parties.add(LaunchParty.of(Kind.SPECIALIST_LAUNCH, name, recipient.launch()));
      }
      if (recipient.signIn() != null) {
        parties.add(LaunchParty.of(Kind.SPECIALIST_SIGN_IN, name, recipient.signIn()));
      }
    }
  }

  Optional<LaunchParty> byRegistrationId(String registrationId) {
    return parties.stream().filter(p -> p.registrationId().equals(registrationId)).findFirst();
  }

  /** The SMART launch party whose FHIR base URL is {@code iss}, trailing slashes aside. */
  Optional<LaunchParty> byIss(String iss) {
    String wanted = iss == null ? "" : iss.strip().replaceAll("/+$", "");
    return parties.stream().filter(p -> p.kind().smart() && p.issuer().equals(wanted)).findFirst();
  }

  List<LaunchParty> all() {
    return List.copyOf(parties);
  }

  List<LaunchParty> ofKind(Kind kind) {
    return parties.stream().filter(p -> p.kind() == kind).toList();
  }
}
