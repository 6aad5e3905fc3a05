package health.secondlook.server.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * each start and written to {@code demo-users.txt} in the data directory, readable by its owner
 * only: never in the repository, never in the log.
 */
final class SandboxUsers {

  /** One demo user: sign-in name, display name, and the path of the FHIR resource they are. */
  record Person(String username, String name, String fhirUser, String role) {

    boolean isSpecialist() {
      return "specialist".equals(role);
    }
  }

  static final String FILE = "demo-users.txt";

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

  /** Writes this start's sign-in names and passwords to {@link #FILE} in {@code directory}. */
  Path writeTo(Path directory) {
    Path file = directory.resolve(FILE);
    StringBuilder text =
        new StringBuilder(
            "# The demo's users for this start of SecondLook (made anew at each start)\n");
    people
        .values()
        .forEach(
            p ->
                text.append(
                    "%-12s %-18s %s%n"
                        .formatted(p.username(), passwords.get(p.username()), p.name())));
    try {
      Files.createDirectories(directory);
      Files.writeString(file, text);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // Windows: the data directory's own permissions apply
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo users to " + file, e);
    }
    return file;
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
