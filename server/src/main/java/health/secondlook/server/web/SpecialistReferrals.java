package health.secondlook.server.web;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import health.secondlook.server.ehr.EhrClients;
import health.secondlook.server.launch.SignedInUser;
import health.secondlook.server.referral.ReferralTasks;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Task;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * The referrals a receiving organisation's specialist may see: those whose Task is owned by it.
 * Reads go through SecondLook's FHIR API; anything addressed elsewhere is "not found", so a
 * specialist cannot tell whether it exists.
 */
@Component
class SpecialistReferrals {

  /** A worklist line: the referral and whose it is. */
  record Row(ReferralView referral, PatientBanner patient) {}

  private final SecondLookApi api;

  SpecialistReferrals(SecondLookApi api) {
    this.api = api;
  }

  /**
   * Open and recent referrals addressed to {@code recipient}, most urgent and earliest due first.
   */
  List<Row> worklist(String recipient, LocalDate today) {
    Bundle page =
        api.client()
            .search()
            .byUrl("Task?_count=200&_sort=-_lastUpdated&_include=Task:subject")
            .returnBundle(Bundle.class)
            .execute();
    Map<String, Patient> patients = new HashMap<>();
    List<Task> tasks = new ArrayList<>();
    for (Bundle.BundleEntryComponent entry : page.getEntry()) {
      if (entry.getResource() instanceof Patient patient) {
        patients.put("Patient/" + patient.getIdPart(), patient);
      } else if (entry.getResource() instanceof Task task
          && ReferralTasks.recipient(task).filter(recipient::equals).isPresent()) {
        tasks.add(task);
      }
    }
    return tasks.stream()
        .map(
            t ->
                new Row(
                    ReferralView.of(t, today),
                    Optional.ofNullable(patients.get(t.getFor().getReference()))
                        .map(PatientBanner::of)
                        .orElse(null)))
        .sorted((a, b) -> ReferralView.BY_URGENCY.compare(a.referral(), b.referral()))
        .toList();
  }

  /** The referral, if it is addressed to the user's organisation; otherwise a 404. */
  Task owned(SignedInUser user, String id) {
    Task task;
    try {
      task = api.client().read().resource(Task.class).withId(id).execute();
    } catch (BaseServerResponseException e) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND);
    }
    if (ReferralTasks.recipient(task).filter(user.partyName()::equals).isEmpty()) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND);
    }
    return task;
  }

  /**
   * SecondLook's Task id for the referral a specialist's EHR launched with: that EHR's Task (read
   * with the user's token) carries SecondLook's Task URL as an identifier, as delivery wrote it.
   */
  Optional<String> fromLaunchContext(SignedInUser user, String accessToken) {
    for (String reference : user.contextReferences()) {
      if (!reference.startsWith("Task/")) {
        continue;
      }
      Task theirs;
      try {
        theirs =
            EhrClients.plainClient(
                    java.net.URI.create(user.issuer()),
                    accessToken,
                    java.time.Duration.ofSeconds(5),
                    java.time.Duration.ofSeconds(30))
                .read()
                .resource(Task.class)
                .withId(reference.substring("Task/".length()))
                .execute();
      } catch (BaseServerResponseException e) {
        continue;
      }
      for (var identifier : theirs.getIdentifier()) {
        String value = identifier.getValue();
        if (value != null && value.matches("https?://.+/Task/[A-Za-z0-9\\-.]{1,64}")) {
          String id = value.substring(value.lastIndexOf('/') + 1);
          try {
            owned(user, id);
            return Optional.of(id);
          } catch (ResponseStatusException notOurs) {
            // another organisation's referral: keep looking
          }
        }
      }
    }
    return Optional.empty();
  }

  Optional<Patient> patient(Task task) {
    if (!task.getFor().hasReference()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          api.client()
              .read()
              .resource(Patient.class)
              .withUrl(task.getFor().getReference())
              .execute());
    } catch (BaseServerResponseException e) {
      return Optional.empty();
    }
  }
}
