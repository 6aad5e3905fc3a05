package health.secondlook.mappings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import health.secondlook.mappings.ReferenceFollower.Target;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class ReferenceFollowerTest {

  private final ReferenceFollower follower =
      new ReferenceFollower(TestFixtures.CTX, TestFixtures.PROFILE);

  @Test
  void aReportLeadsToItsResultsSpecimenStudyAndPeopleOnceEach() {
    DiagnosticReport report = Records.report("path", "22637-3");
    report.addResult(new Reference("Observation/er"));
    report.addResult(new Reference("Observation/pr"));
    report.addResult(new Reference("Observation/er"));
    report.addSpecimen(new Reference("Specimen/tissue"));
    report.addImagingStudy(new Reference("ImagingStudy/ct"));
    report.addPerformer(new Reference("Organization/hospital"));
    report.addResultsInterpreter(new Reference("Practitioner/pathologist"));

    assertThat(follower.targets(report))
        .extracting(Target::reference)
        .containsExactly(
            "Observation/er",
            "Observation/pr",
            "Specimen/tissue",
            "ImagingStudy/ct",
            "Organization/hospital",
            "Practitioner/pathologist");
  }

  @Test
  void followsStageAssessmentsAndPanelMembers() {
    Condition cancer = Records.cancer("cancer", "254837009", "IA");
    cancer.getStageFirstRep().addAssessment(new Reference("Observation/stage-group"));
    Observation group = Records.observation("stage-group", "21908-9");
    group.addHasMember(new Reference("Observation/stage-t"));

    assertThat(follower.targets(cancer))
        .extracting(Target::reference)
        .containsExactly("Observation/stage-group");
    assertThat(follower.targets(group))
        .extracting(Target::reference)
        .containsExactly("Observation/stage-t");
  }

  @Test
  void aDocumentLeadsToItsContentWithTheDeclaredSize() {
    DocumentReference document = Records.document("discharge", "18842-5");
    document.addContent().setAttachment(new Attachment().setUrl("Binary/small").setSize(2_000));
    document.addContent().setAttachment(new Attachment().setUrl("Binary/unsized"));
    document.addContent().setAttachment(new Attachment().setData(new byte[] {1, 2, 3}));
    document.addAuthor(new Reference("Practitioner/surgeon"));

    assertThat(follower.targets(document))
        .extracting(Target::reference, Target::declaredSize)
        .containsExactly(
            tuple("Binary/small", 2_000L),
            tuple("Binary/unsized", null),
            tuple("Practitioner/surgeon", null));
    assertThat(follower.targets(document).get(0).fitsWithin(1_000)).isFalse();
    assertThat(follower.targets(document).get(0).fitsWithin(2_000)).isTrue();
    assertThat(follower.targets(document).get(1).fitsWithin(1)).isTrue();
  }

  @Test
  void containedIdentifierOnlyAndCodedChoicesAreNotFetched() {
    MedicationRequest request = new MedicationRequest();
    request.setId("MedicationRequest/letrozole");
    request.setMedication(Records.concept("http://www.nlm.nih.gov/research/umls/rxnorm", "72965"));
    request.setRequester(new Reference("#prescriber"));
    request.setPerformer(new Reference().setIdentifier(new Identifier().setValue("NPI-1")));

    assertThat(follower.targets(request)).isEmpty();
  }

  @Test
  void aMedicationReferenceIsFollowed() {
    MedicationRequest request = new MedicationRequest();
    request.setId("MedicationRequest/letrozole");
    request.setMedication(new Reference("Medication/letrozole-2_5"));
    request.setRequester(new Reference("Practitioner/oncologist"));

    assertThat(follower.targets(request))
        .extracting(Target::reference)
        .containsExactly("Medication/letrozole-2_5", "Practitioner/oncologist");
  }

  @Test
  void typesWithoutFollowPathsLeadNowhere() {
    Practitioner practitioner = new Practitioner();
    practitioner.setId("Practitioner/oncologist");

    assertThat(follower.targets(practitioner)).isEmpty();
  }
}
