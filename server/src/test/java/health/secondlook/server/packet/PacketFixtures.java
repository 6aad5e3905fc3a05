package health.secondlook.server.packet;

import static health.secondlook.terminology.TerminologyContent.PACKET_ITEM_STATUS_EXTENSION;
import static health.secondlook.terminology.TerminologyContent.PACKET_ITEM_SYSTEM;
import static health.secondlook.terminology.TerminologyContent.REFERRAL_PROGRESS_SYSTEM;

import ca.uhn.fhir.context.FhirContext;
import health.secondlook.mappings.CompletenessAssessor;
import health.secondlook.mappings.CompletenessReport;
import health.secondlook.mappings.ConditionEvaluator;
import health.secondlook.mappings.MappingProfile;
import health.secondlook.mappings.MappingProfiles;
import health.secondlook.mappings.PacketItemClassifier;
import health.secondlook.mappings.ValueSetCodeCheck;
import health.secondlook.sandbox.SyntheticCancerPatients;
import health.secondlook.sandbox.SyntheticPatient;
import health.secondlook.server.fhir.Xhtml;
import health.secondlook.server.pull.PulledResourceMapper;
import health.secondlook.server.support.Referrals;
import health.secondlook.terminology.PacketItemDefinition;
import health.secondlook.terminology.TerminologyContent;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * Packet inputs without a server: a sandbox patient's records as SecondLook stores them after a
 * pull (local ids, references rewritten by the real {@link PulledResourceMapper}), the completeness
 * report the real mapping engine gives them, and a referral like {@code $request-second-opinion}
 * makes.
 */
final class PacketFixtures {

  static final FhirContext CTX = FhirContext.forR4Cached();
  static final String EHR = "sandbox";
  static final String EHR_BASE = "https://ehr.example.org/fhir";
  static final String SECONDLOOK_BASE = "https://secondlook.example.org/fhir";
  static final Date PULLED_AT = new DateTimeType("2025-06-02T08:30:00Z").getValue();

  private static final CompletenessAssessor ASSESSOR = assessor();

  private PacketFixtures() {}

  static PacketSources sources(SyntheticPatient patient, String reason) {
    return sources(patient, reason, true);
  }

  /** A referral that gave neither the patient's questions nor a treatment start date. */
  static PacketSources sourcesWithoutQuestionsOrStartDate(SyntheticPatient patient, String reason) {
    return sources(patient, reason, false);
  }

  private static PacketSources sources(
      SyntheticPatient patient, String reason, boolean questionsAndStartDate) {
    List<Resource> atEhr = new ArrayList<>(patient.resources());
    atEhr.addAll(SyntheticCancerPatients.directory());
    Set<String> keys = atEhr.stream().map(PulledResourceMapper::key).collect(Collectors.toSet());
    PulledResourceMapper mapper = new PulledResourceMapper(CTX, EHR, EHR_BASE);
    List<Resource> pulled = atEhr.stream().map(r -> mapper.toLocal(r, keys)).toList();
    Patient localPatient =
        pulled.stream()
            .filter(Patient.class::isInstance)
            .map(Patient.class::cast)
            .findFirst()
            .orElseThrow();
    Reference subject = new Reference("Patient/" + localPatient.getIdElement().getIdPart());

    QuestionnaireResponse questions = Referrals.questions();
    questions.setId("QuestionnaireResponse/questions-1");
    questions.setSubject(subject);

    ServiceRequest request = new ServiceRequest();
    request.setId("ServiceRequest/referral-1");
    request.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
    request.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
    request.setPriority(ServiceRequest.ServiceRequestPriority.URGENT);
    request.setSubject(subject);
    request.setAuthoredOnElement(new DateTimeType("2025-06-02"));
    request.setRequester(
        new Reference()
            .setIdentifier(
                new Identifier()
                    .setSystem("http://hl7.org/fhir/sid/us-npi")
                    .setValue("1234567893")));
    request.addPerformer().setDisplay("Regional tumour board");
    request.addReasonCode().setText(reason);
    if (questionsAndStartDate) {
      request.addSupportingInfo(new Reference("QuestionnaireResponse/questions-1"));
      request.setOccurrence(new Period().setEndElement(new DateTimeType("2025-06-23")));
    }

    Task task = new Task();
    task.setId("Task/task-1");
    task.getBusinessStatus()
        .addCoding()
        .setSystem(REFERRAL_PROGRESS_SYSTEM)
        .setCode(patient.complete() ? "records-complete" : "proceeding-incomplete");

    return new PacketSources(
        request,
        task,
        questionsAndStartDate ? Optional.of(questions) : Optional.empty(),
        localPatient,
        pulled,
        completeness(ASSESSOR.assess(pulled, questionsAndStartDate)),
        new PacketSources.SourceEhr(EHR, EHR_BASE),
        SECONDLOOK_BASE);
  }

  /** The report as the pull stores it: a section per item, status extension, entries. */
  private static Composition completeness(CompletenessReport report) {
    Composition composition = new Composition();
    composition.setId("Composition/completeness-task-1");
    composition.setDate(PULLED_AT);
    for (CompletenessReport.Item item : report.items()) {
      Composition.SectionComponent section = composition.addSection();
      section.setTitle(item.display());
      section.getCode().addCoding().setSystem(PACKET_ITEM_SYSTEM).setCode(item.code());
      section.addExtension(PACKET_ITEM_STATUS_EXTENSION, new CodeType(item.status().code()));
      item.resources().forEach(r -> section.addEntry(new Reference(r)));
      section.setText(new Xhtml().paragraph(item.status().code()).toNarrative());
    }
    return composition;
  }

  private static CompletenessAssessor assessor() {
    MappingProfile profile = MappingProfiles.load(MappingProfiles.DEFAULT);
    ValueSetCodeCheck codes = ValueSetCodeCheck.fromTerminology(CTX);
    CodeSystem items =
        TerminologyContent.loadAll(CTX).stream()
            .filter(r -> r instanceof CodeSystem cs && PACKET_ITEM_SYSTEM.equals(cs.getUrl()))
            .map(CodeSystem.class::cast)
            .findFirst()
            .orElseThrow();
    return new CompletenessAssessor(
        PacketItemDefinition.fromCodeSystem(items),
        new PacketItemClassifier(CTX, profile, codes),
        new ConditionEvaluator(CTX, profile, codes));
  }
}
