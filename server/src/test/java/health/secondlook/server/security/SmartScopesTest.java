package health.secondlook.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SMART v1 and v2 scopes as a token carries them, and what each allows. */
class SmartScopesTest {

  @Test
  void v2LettersV1WordsAndWildcardsGrantWhatTheySay() {
    SmartScopes scopes =
        SmartScopes.parse(
            List.of(
                "openid",
                "fhirUser",
                "launch",
                "user/Task.rs",
                "system/Bundle.read",
                "user/Observation.cu"));
    assertThat(scopes.permits("Task", 'r')).isTrue();
    assertThat(scopes.permits("Task", 's')).isTrue();
    assertThat(scopes.permits("Task", 'u')).isFalse();
    assertThat(scopes.permits("Bundle", 's')).isTrue();
    assertThat(scopes.permits("Bundle", 'c')).isFalse();
    assertThat(scopes.permits("Observation", 'c')).isTrue();
    assertThat(scopes.permits("Observation", 'r')).isFalse();
    assertThat(scopes.permits("Patient", 'r')).isFalse();
    assertThat(SmartScopes.parse(List.of("system/*.cruds")).permits("AuditEvent", 'd')).isTrue();
    assertThat(SmartScopes.parse(List.of("system/*.*")).permits("Task", 'u')).isTrue();
    assertThat(SmartScopes.parse(List.of("system/Task.sr")).permits("Task", 'r'))
        .as("letters out of cruds order are not a v2 scope")
        .isFalse();
  }

  @Test
  void patientScopesAndQueryRestrictionsNarrowWhatIsGranted() {
    SmartScopes scopes =
        SmartScopes.parse(
            List.of(
                "patient/Observation.rs?category=laboratory",
                "patient/Condition.rs",
                "user/Condition.r"));
    assertThat(scopes.onlyForPatient("Observation", 'r')).isTrue();
    assertThat(scopes.restrictions("Observation", 's')).containsExactly("category=laboratory");
    assertThat(scopes.onlyForPatient("Condition", 'r')).as("a user scope grants it too").isFalse();
    assertThat(scopes.onlyForPatient("Condition", 's')).isTrue();
    assertThat(scopes.restrictions("Condition", 'r')).isEmpty();
  }

  @Test
  void chainsCountEachLinkAndEachReverseChain() {
    assertThat(SearchCostLimits.chainDepth("status")).isEqualTo(1);
    assertThat(SearchCostLimits.chainDepth("subject:Patient.name")).isEqualTo(2);
    assertThat(SearchCostLimits.chainDepth("based-on.based-on.based-on.status")).isEqualTo(4);
    assertThat(SearchCostLimits.chainDepth("_has:Observation:patient:code")).isEqualTo(1);
    assertThat(
            SearchCostLimits.chainDepth(
                "_has:Observation:has-member:_has:Observation:has-member:code"))
        .isEqualTo(2);
  }
}
