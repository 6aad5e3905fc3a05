package health.secondlook.server.demo;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The demo's people: a referring oncologist who signs in to the sandbox EHR, and a tumour-board
 * specialist who signs in through the same sandbox identity provider. Their passwords are made at
 * each start and printed in the start-up banner, so none is ever written in the repository.
 */
final class SandboxUsers {

  /** One demo user: sign-in name, display name, and the path of the FHIR resource they are. */
  record Person(String username, String name, String fhirUser, String role) {}

  static final String ONCOLOGIST = "oncologist";
  static final String SPECIALIST = "specialist";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Person> people = new LinkedHashMap<>();
  private final Map<String, String> passwords = new LinkedHashMap<>();

  SandboxUsers() {
    add(
        new Person(
            ONCOLOGIST,
            "Dr Olive Oncologist",
            "/sandbox-ehr/fhir/Practitioner/sandbox-oncologist",
            "referrer"));
    add(
        new Person(
            SPECIALIST,
            "Dr Sam Specialist",
            "/sandbox-recipient/fhir/Practitioner/tumour-board-specialist",
            "specialist"));
  }

  private void add(Person person) {
    people.put(person.username(), person);
    byte[] secret = new byte[12];
    RANDOM.nextBytes(secret);
    passwords.put(
        person.username(), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
  }

  List<Person> all() {
    return List.copyOf(people.values());
  }

  Optional<Person> find(String username) {
    return Optional.ofNullable(people.get(username));
  }

  /** This start's password for a demo user. */
  String password(String username) {
    return passwords.get(username);
  }

  InMemoryUserDetailsManager userDetails() {
    List<UserDetails> users =
        people.values().stream()
            .map(
                p ->
                    User.withUsername(p.username())
                        .password("{noop}" + passwords.get(p.username()))
                        .roles(p.role().toUpperCase(java.util.Locale.ROOT))
                        .build())
            .toList();
    return new InMemoryUserDetailsManager(users);
  }
}
