package health.secondlook.server;

import static health.secondlook.server.support.FhirClients.search;
import static health.secondlook.server.support.Referrals.awaitPullEnd;
import static health.secondlook.server.support.Referrals.progress;
import static health.secondlook.server.support.Referrals.request;
import static health.secondlook.server.support.Referrals.submit;
import static health.secondlook.server.support.Referrals.task;
import static health.secondlook.terminology.TerminologyContent.PACKET_ITEM_STATUS_EXTENSION;
import static health.secondlook.terminology.TerminologyContent.REVIEW_OUTCOME_SYSTEM;
import static health.secondlook.terminology.TerminologyContent.SURGICAL_PROCEDURE_VALUE_SET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import health.secondlook.mappings.ValueSetCodeCheck;
import health.secondlook.server.audit.AuditTrail;
import health.secondlook.server.referral.ReferralTasks;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.LogCapture;
import health.secondlook.server.support.TestEhrs;
import health.secondlook.server.support.TestParties;
import health.secondlook.stock.SyntheaPatients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The loop against servers and data nobody here shaped: the referring EHR and the receiving system
 * are stock HAPI FHIR JPA servers in their default settings, the patients are Synthea's. Every
 * packet carries the cancer Condition (unstaged, as Synthea records it, so the stage is reported
 * missing on its own), every ImagingStudy the EHR holds, and no Procedure that is not surgery; one
 * referral then goes all the way to the review written back into the EHR.
 */
@H2ServerTest
class StockServersLoopTest {

  private static final Duration STEP = Duration.ofSeconds(240);
  private static final Set<String> CANCERS = Set.of("254837009", "363406005");
  private static final String CONSULT_NOTE = "http://loinc.org|11488-4";
  private static final ValueSetCodeCheck CODES = ValueSetCodeCheck.fromTerminology(FhirClients.R4);

  @LocalServerPort int port;

  @Test
  void syntheaPatientsTravelFromOneStockHapiServerToAnotherAndTheReviewComesBack() {
    try (LogCapture logs = LogCapture.start()) {
      travel();
      assertThat(String.join("\n", logs.lines()))
          .as("the logs hold resource ids, never who the patients are")
          .doesNotContain(personalDetails(TestEhrs.get().syntheaPatients));
    }
  }

  private void travel() {
    IGenericClient secondLook = FhirClients.client("http://localhost:" + port + "/fhir");
    IGenericClient ehr = FhirClients.client(TestEhrs.get().stockEhr.baseUrl());
    IGenericClient recipient = FhirClients.client(TestEhrs.get().stockRecipient.baseUrl());
    List<SyntheaPatients.Loaded> patients = TestEhrs.get().syntheaPatients;
    assertThat(patients).hasSize(4);

    List<String> tasks = new ArrayList<>();
    for (int i = 0; i < patients.size(); i++) {
      String to = i < 3 ? TestEhrs.STOCK_RECIPIENT : TestEhrs.STOCK_MESSAGE_RECIPIENT;
      Parameters ask = request(TestEhrs.STOCK_EHR, patients.get(i).id());
      ask.getParameter().removeIf(p -> p.getName().equals("recipient"));
      ask.addParameter("recipient", new StringType(to));
      tasks.add(task(submit(secondLook, ask)).getIdPart());
    }
    for (int i = 0; i < patients.size(); i++) {
      SyntheaPatients.Loaded patient = patients.get(i);
      Task pulled = awaitPullEnd(secondLook, tasks.get(i), STEP);
      assertThat(progress(pulled))
          .as(pulled.getBusinessStatus().getText())
          .isNotEqualTo("pull-failed");
      Composition report =
          secondLook
              .read()
              .resource(Composition.class)
              .withUrl(ReferralTasks.output(pulled, "completeness-report").orElseThrow())
              .execute();
      // Diagnosis and stage are judged apart: Synthea records every cancer, the stage only
      // sometimes.
      assertThat(status(report, "diagnosis")).as(patient.name()).isEqualTo("present");
      assertThat(status(report, "stage")).as(patient.name()).isIn("present", "missing");
      // Hospice care, screenings and old panels leave the sections, each named with its rule.
      assertThat(report.getSection())
          .filteredOn(s -> "left-out".equals(s.getCode().getCodingFirstRep().getCode()))
          .singleElement()
          .satisfies(
              s ->
                  assertThat(s.getSection())
                      .extracting(Composition.SectionComponent::getTitle)
                      .anyMatch(t -> t.startsWith("Procedure: matches none")));
      if (progress(pulled).equals("records-incomplete")) {
        secondLook
            .operation()
            .onInstance("Task/" + tasks.get(i))
            .named("$proceed")
            .withNoParameters(Parameters.class)
            .execute();
      }
      Task ended = awaitProgress(secondLook, tasks.get(i), "delivered", "delivery-failed");
      Bundle packet = packetOf(secondLook, ended);
      checkPacket(ehr, patient, packet);
      report(ehr, patient, packet);
      if (i < 3) {
        assertThat(progress(ended)).as(ended.getBusinessStatus().getText()).isEqualTo("delivered");
        assertThat(copies(recipient, packet)).as("one copy at the stock recipient").hasSize(1);
      } else {
        // A stock HAPI server has no $process-message: said plainly, and nothing is reviewed.
        assertThat(progress(ended)).isEqualTo("delivery-failed");
        assertThat(ended.getStatusReason().getText())
            .contains("$process-message", "push-style=transaction");
        Task accept = ended.copy().setStatus(TaskStatus.ACCEPTED);
        assertThatThrownBy(() -> secondLook.update().resource(accept).execute())
            .isInstanceOf(UnprocessableEntityException.class)
            .hasMessageContaining("has not reached the recipient's system");
      }
    }

    assertThat(patients.stream().mapToInt(p -> count(ehr, "ImagingStudy?patient=" + p.id())).sum())
        .as("the Synthea patients have imaging to carry")
        .isPositive();

    // The first referral goes on: accepted, reviewed, written back into the stock EHR.
    String taskId = tasks.get(0);
    String patient = patients.get(0).id();
    Task delivered = secondLook.read().resource(Task.class).withId(taskId).execute();
    secondLook.update().resource(delivered.setStatus(TaskStatus.ACCEPTED)).execute();
    Task working = secondLook.read().resource(Task.class).withId(taskId).execute();
    secondLook.update().resource(working.setStatus(TaskStatus.INPROGRESS)).execute();
    Parameters review = new Parameters();
    review.addParameter("outcome", new Coding(REVIEW_OUTCOME_SYSTEM, "modifies-plan", null));
    review.addParameter("diagnosisAgreement", new CodeType("agree"));
    review.addParameter("recommendedPlan", new StringType("Add endocrine therapy after surgery"));
    review.addParameter("summary", new StringType("Stage the tumour before adjuvant therapy."));
    review.addParameter(
        "reviewer",
        new Identifier().setSystem("http://hl7.org/fhir/sid/us-npi").setValue("1558444216"));
    secondLook
        .operation()
        .onInstance("Task/" + taskId)
        .named("$submit-review")
        .withParameters(review)
        .execute();
    Task done = awaitProgress(secondLook, taskId, "written-back", "write-back-failed");
    assertThat(progress(done)).as(done.getStatusReason().getText()).isEqualTo("written-back");
    assertThat(search(ehr, DocumentReference.class, "patient=" + patient + "&type=" + CONSULT_NOTE))
        .hasSize(1);
    List<DiagnosticReport> summaries =
        search(ehr, DiagnosticReport.class, "patient=" + patient + "&code=" + CONSULT_NOTE);
    assertThat(summaries).hasSize(1);
    assertThat(summaries.get(0).getConclusion()).contains("Add endocrine therapy after surgery");
    Identifier referral = done.getIdentifierFirstRep();
    List<Task> ehrTasks =
        search(ehr, Task.class, "identifier=" + referral.getSystem() + "|" + referral.getValue());
    assertThat(ehrTasks).hasSize(1);
    assertThat(ehrTasks.get(0).getStatus()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(copies(recipient, packetOf(secondLook, done))).hasSize(1);
    auditTrailOf(taskId, done);
  }

  /**
   * One AuditEvent for each step that moved the referral's records, each read of it, and each
   * refused access; an auditor reads them, and no one can change them.
   */
  private void auditTrailOf(String taskId, Task done) {
    String base = "http://localhost:" + port + "/fhir";
    assertThatThrownBy(
            () ->
                TestParties.client(base, TestParties.RECIPIENT_B, "system/*.rs")
                    .read()
                    .resource(Task.class)
                    .withId(taskId)
                    .execute())
        .isInstanceOf(ForbiddenOperationException.class);
    IGenericClient auditor = TestParties.auditor(base);
    List<AuditEvent> trail =
        search(auditor, AuditEvent.class, "entity-name:exact=Task/" + taskId + "&_count=200");
    Map<String, Long> steps =
        trail.stream()
            .filter(e -> AuditTrail.ACTIVITY_SYSTEM.equals(e.getType().getSystem()))
            .collect(Collectors.groupingBy(e -> e.getType().getCode(), Collectors.counting()));
    assertThat(steps)
        .as("pull, packet and review signatures, delivery, write-back")
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("pull", 1L, "sign", 2L, "deliver", 1L, "write-back", 1L));
    assertThat(trail)
        .filteredOn(e -> "read".equals(e.getSubtypeFirstRep().getCode()))
        .filteredOn(e -> e.getOutcome() == AuditEvent.AuditEventOutcome._0)
        .isNotEmpty()
        .allSatisfy(
            e ->
                assertThat(e.getEntity())
                    .extracting(en -> en.getWhat().getIdentifier().getValue())
                    .contains("Task/" + taskId));
    assertThat(trail)
        .filteredOn(e -> e.getOutcome() == AuditEvent.AuditEventOutcome._4)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getAgentFirstRep().getWho().getDisplay())
                    .isEqualTo(TestParties.RECIPIENT_B));
    AuditEvent one = trail.get(0);
    assertThatThrownBy(() -> FhirClients.client(base).delete().resource(one).execute())
        .isInstanceOf(BaseServerResponseException.class);
  }

  /** Names, birth dates and identifiers of the Synthea patients, as their EHR holds them. */
  private static String[] personalDetails(List<SyntheaPatients.Loaded> loaded) {
    IGenericClient ehr = FhirClients.client(TestEhrs.get().stockEhr.baseUrl());
    List<String> details = new ArrayList<>();
    for (SyntheaPatients.Loaded p : loaded) {
      Patient patient = ehr.read().resource(Patient.class).withId(p.id()).execute();
      patient
          .getName()
          .forEach(
              n -> {
                details.add(n.getFamily());
                n.getGiven().forEach(g -> details.add(g.getValue()));
              });
      details.add(patient.getBirthDateElement().getValueAsString());
      patient.getIdentifier().stream()
          .map(Identifier::getValue)
          .filter(v -> v != null && !v.equals(p.id()))
          .forEach(details::add);
    }
    return details.stream()
        .filter(d -> d != null && d.length() >= 4)
        .distinct()
        .toArray(String[]::new);
  }

  private static void checkPacket(
      IGenericClient ehr, SyntheaPatients.Loaded patient, Bundle packet) {
    Map<String, Resource> entries = new LinkedHashMap<>();
    packet.getEntry().forEach(e -> entries.put(e.getFullUrl(), e.getResource()));
    List<Resource> diagnosis = sectionRecords(packet, entries, "diagnosis-stage");
    assertThat(diagnosis)
        .as(patient.name() + ": the cancer is in the diagnosis section")
        .anySatisfy(
            r ->
                assertThat(((Condition) r).getCode().getCoding())
                    .anyMatch(c -> CANCERS.contains(c.getCode())));
    assertThat(sectionRecords(packet, entries, "surgery-discharge"))
        .filteredOn(Procedure.class::isInstance)
        .as(patient.name() + ": only surgery in the surgery section")
        .allSatisfy(
            r ->
                assertThat(
                        ((Procedure) r)
                            .getCode().getCoding().stream()
                                .anyMatch(
                                    c ->
                                        CODES.contains(
                                            SURGICAL_PROCEDURE_VALUE_SET,
                                            c.getSystem(),
                                            c.getCode())))
                    .as(((Procedure) r).getCode().getCodingFirstRep().getDisplay())
                    .isTrue());
    long studies = entries.values().stream().filter(ImagingStudy.class::isInstance).count();
    assertThat(studies)
        .as(patient.name() + ": every ImagingStudy the EHR holds")
        .isEqualTo(count(ehr, "ImagingStudy?patient=" + patient.id()));
    assertThat(sectionRecords(packet, entries, "clinical-notes")).hasSizeBetween(1, 5);
  }

  /** The figures for the closing note: what the EHR holds beside what each section carries. */
  private static void report(IGenericClient ehr, SyntheaPatients.Loaded patient, Bundle packet) {
    Map<String, Resource> entries = new LinkedHashMap<>();
    packet.getEntry().forEach(e -> entries.put(e.getFullUrl(), e.getResource()));
    String ehrCounts =
        List.of(
                "Condition",
                "Procedure",
                "MedicationRequest",
                "CarePlan",
                "DocumentReference",
                "ImagingStudy",
                "DiagnosticReport",
                "Observation")
            .stream()
            .map(type -> type + "=" + count(ehr, type + "?patient=" + patient.id()))
            .collect(Collectors.joining(" "));
    String sections =
        ((Composition) packet.getEntryFirstRep().getResource())
            .getSection().stream()
                .map(
                    s ->
                        s.getCode().getCoding().stream()
                                .filter(c -> c.getSystem().endsWith("packet-section"))
                                .findFirst()
                                .map(Coding::getCode)
                                .orElse("?")
                            + "="
                            + s.getEntry().size())
                .collect(Collectors.joining(" "));
    System.out.printf(
        "SECTION-COUNTS %s (%s): EHR %s | packet %s | entries %d%n",
        patient.name(), patient.cancer(), ehrCounts, sections, entries.size());
  }

  private static List<Resource> sectionRecords(
      Bundle packet, Map<String, Resource> entries, String code) {
    return ((Composition) packet.getEntryFirstRep().getResource())
        .getSection().stream()
            .filter(s -> s.getCode().getCoding().stream().anyMatch(c -> code.equals(c.getCode())))
            .flatMap(s -> s.getEntry().stream())
            .map(r -> entries.get(r.getReference()))
            .toList();
  }

  private static String status(Composition report, String item) {
    return report.getSection().stream()
        .filter(s -> item.equals(s.getCode().getCodingFirstRep().getCode()))
        .findFirst()
        .map(
            s ->
                ((PrimitiveType<?>) s.getExtensionByUrl(PACKET_ITEM_STATUS_EXTENSION).getValue())
                    .getValueAsString())
        .orElse("absent");
  }

  private static int count(IGenericClient server, String query) {
    return server
        .search()
        .byUrl(query + "&_summary=count")
        .returnBundle(Bundle.class)
        .execute()
        .getTotal();
  }

  private static List<Bundle> copies(IGenericClient recipient, Bundle packet) {
    Identifier id = packet.getIdentifier();
    return search(recipient, Bundle.class, "identifier=" + id.getSystem() + "|" + id.getValue());
  }

  private static Bundle packetOf(IGenericClient secondLook, Task task) {
    return secondLook
        .read()
        .resource(Bundle.class)
        .withUrl(ReferralTasks.output(task, "packet").orElseThrow())
        .execute();
  }

  private static Task awaitProgress(IGenericClient secondLook, String taskId, String... ends) {
    return await()
        .atMost(STEP)
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> secondLook.read().resource(Task.class).withId(taskId).execute(),
            t -> List.of(ends).contains(progress(t)));
  }
}
