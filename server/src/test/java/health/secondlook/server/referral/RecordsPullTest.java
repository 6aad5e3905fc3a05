package health.secondlook.server.referral;

import static health.secondlook.server.support.Referrals.awaitPullEnd;
import static health.secondlook.server.support.Referrals.progress;
import static health.secondlook.server.support.Referrals.request;
import static health.secondlook.server.support.Referrals.submit;
import static health.secondlook.server.support.Referrals.task;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.ReferenceClientParam;
import health.secondlook.sandbox.SyntheticCancerPatients;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.TestEhrs;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A referring team asks for a second opinion and SecondLook pulls the records from a real FHIR
 * server holding synthetic cancer patients, 5 search results a page.
 */
@H2ServerTest
class RecordsPullTest {

  @LocalServerPort int port;

  IGenericClient secondLook() {
    return FhirClients.client("http://localhost:" + port + "/fhir");
  }

  IGenericClient sandboxEhr() {
    return FhirClients.client(TestEhrs.get().sandbox.baseUrl());
  }

  @Test
  void requestReturnsTheReferralAtOnceWithItsDueDate() {
    Parameters response =
        submit(secondLook(), request(TestEhrs.SANDBOX, SyntheticCancerPatients.LUNG));

    Task task = task(response);
    assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
    assertThat(task.getCode().getCodingFirstRep().getCode()).isEqualTo("fulfill");
    assertThat(task.getFocus().getReference()).startsWith("ServiceRequest/");
    assertThat(task.getRestriction().getPeriod().getEndElement().getValueAsString())
        .isEqualTo(LocalDate.now().plusDays(21).toString());
    assertThat(task.getOwner().getDisplay()).isEqualTo("Regional sarcoma and breast tumour board");
  }

  @Test
  void completePatientArrivesWholeAndNothingOfAnotherPatientDoes() {
    String patient = SyntheticCancerPatients.BREAST;
    Task task = task(submit(secondLook(), request(TestEhrs.SANDBOX, patient)));

    Task done = awaitPullEnd(secondLook(), task.getIdPart(), Duration.ofSeconds(60));

    assertThat(progress(done)).isEqualTo("records-complete");
    Bundle history =
        secondLook()
            .history()
            .onInstance("Task/" + task.getIdPart())
            .returnBundle(Bundle.class)
            .execute();
    assertThat(history.getEntry())
        .extracting(e -> ((Task) e.getResource()).getBusinessStatus().getText())
        .as("progress recorded while the pull ran")
        .anySatisfy(
            text -> assertThat(text).startsWith("Fetched so far").contains("DiagnosticReport"));
    Set<String> pulled = pulledReferences(done);
    for (Class<? extends Resource> type :
        List.of(DiagnosticReport.class, ImagingStudy.class, CarePlan.class, Observation.class)) {
      List<String> atEhr = idsAtEhr(type, patient);
      assertThat(atEhr).as(type.getSimpleName() + " at the EHR").isNotEmpty();
      atEhr.forEach(
          id ->
              assertThat(pulled)
                  .as(type.getSimpleName())
                  .contains(type.getSimpleName() + "/sandbox-" + id));
    }
    assertThat(idsAtEhr(Observation.class, patient))
        .as("more than a page of results")
        .hasSizeGreaterThan(5);
    String localPatient = "Patient/sandbox-" + patient;
    for (String reference : pulled) {
      Resource resource =
          (Resource)
              secondLook()
                  .read()
                  .resource(reference.split("/")[0])
                  .withId(reference.split("/")[1])
                  .execute();
      if (resource instanceof DiagnosticReport report) {
        assertThat(report.getSubject().getReference()).isEqualTo(localPatient);
      }
      if (resource instanceof Observation observation) {
        assertThat(observation.getSubject().getReference()).isEqualTo(localPatient);
      }
    }
  }

  @Test
  void incompletePatientsReportNamesExactlyTheMissingItems() {
    Task task =
        task(
            submit(
                secondLook(),
                request(TestEhrs.SANDBOX, SyntheticCancerPatients.BREAST_INCOMPLETE)));

    Task done = awaitPullEnd(secondLook(), task.getIdPart(), Duration.ofSeconds(60));

    assertThat(progress(done)).isEqualTo("records-incomplete");
    Composition report =
        secondLook()
            .read()
            .resource(Composition.class)
            .withUrl(output(done, "completeness-report"))
            .execute();
    List<String> missing =
        report.getSection().stream()
            .filter(s -> s.hasExtension())
            .filter(
                s -> "missing".equals(((CodeType) s.getExtensionFirstRep().getValue()).getValue()))
            .map(s -> s.getCode().getCodingFirstRep().getCode())
            .toList();
    assertThat(missing)
        .containsExactlyInAnyOrderElementsOf(
            SyntheticCancerPatients.all().stream()
                .filter(p -> p.id().equals(SyntheticCancerPatients.BREAST_INCOMPLETE))
                .findFirst()
                .orElseThrow()
                .missingItems());
    assertThat(report.getSection())
        .filteredOn(s -> s.getCode().getCodingFirstRep().getCode().equals("pathology-report"))
        .singleElement()
        .satisfies(s -> assertThat(s.getText().getDivAsString()).contains("pathology report"));
  }

  @Test
  void sameRequestTwiceYieldsOneReferral() {
    Parameters request =
        request(TestEhrs.SANDBOX, SyntheticCancerPatients.COLORECTAL, "same-request-1");

    Task first = task(submit(secondLook(), request));
    Task second = task(submit(secondLook(), request));

    assertThat(second.getIdPart()).isEqualTo(first.getIdPart());
    Bundle tasks =
        secondLook()
            .search()
            .forResource(Task.class)
            .where(
                Task.IDENTIFIER
                    .exactly()
                    .systemAndCode("https://referrer.example.org/requests", "same-request-1"))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(tasks.getEntry()).hasSize(1);
  }

  private Set<String> pulledReferences(Task done) {
    ListResource list =
        secondLook()
            .read()
            .resource(ListResource.class)
            .withUrl(output(done, "pulled-records"))
            .execute();
    return list.getEntry().stream()
        .map(e -> e.getItem().getReference())
        .collect(Collectors.toSet());
  }

  static String output(Task task, String type) {
    return task.getOutput().stream()
        .filter(o -> o.getType().getCodingFirstRep().getCode().equals(type))
        .map(o -> ((Reference) o.getValue()).getReference())
        .findFirst()
        .orElseThrow();
  }

  private List<String> idsAtEhr(Class<? extends Resource> type, String patient) {
    List<String> ids = new ArrayList<>();
    Bundle page =
        sandboxEhr()
            .search()
            .forResource(type)
            .where(new ReferenceClientParam("patient").hasId(patient))
            .returnBundle(Bundle.class)
            .execute();
    while (page != null) {
      page.getEntry().forEach(e -> ids.add(e.getResource().getIdPart()));
      page = page.getLink("next") == null ? null : sandboxEhr().loadPage().next(page).execute();
    }
    return ids;
  }
}
