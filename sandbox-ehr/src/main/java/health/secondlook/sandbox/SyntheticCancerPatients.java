package health.secondlook.sandbox;

import static health.secondlook.sandbox.Codes.LOINC;
import static health.secondlook.sandbox.Codes.SNOMED;
import static health.secondlook.sandbox.Codes.concept;
import static health.secondlook.sandbox.ImagingAndDocuments.document;
import static health.secondlook.sandbox.ImagingAndDocuments.report;
import static health.secondlook.sandbox.ImagingAndDocuments.study;
import static health.secondlook.sandbox.StagingAndPathology.cancer;
import static health.secondlook.sandbox.StagingAndPathology.marker;
import static health.secondlook.sandbox.StagingAndPathology.pathologyReport;
import static health.secondlook.sandbox.StagingAndPathology.tissue;
import static org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.FEMALE;
import static org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.MALE;

import health.secondlook.sandbox.ImagingAndDocuments.Modality;
import health.secondlook.sandbox.StagingAndPathology.Stage;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;

/**
 * The sandbox EHR's patients: deterministic, obviously fictitious oncology records shaped like what
 * a referring team holds when it asks for a second opinion (diagnosis with stage, biopsy and scan
 * reports, imaging studies, blood tests, surgery with its discharge papers, the current treatment
 * advice, tissue for review). Three records are complete; {@link #BREAST_INCOMPLETE} lacks items on
 * purpose so the completeness check has something to find.
 */
public final class SyntheticCancerPatients {

  public static final String BREAST = "breast-1";
  public static final String LUNG = "lung-1";
  public static final String COLORECTAL = "colorectal-1";
  public static final String BREAST_INCOMPLETE = "breast-2";

  private static final String DISCHARGE_TEXT =
      "Discharge summary (synthetic). Admitted for elective %s. Uneventful recovery, discharged on"
          + " day %d. Wound clean. Follow-up in the oncology clinic to discuss adjuvant treatment.";

  private SyntheticCancerPatients() {}

  /** The four sandbox patients, complete ones first. */
  public static List<SyntheticPatient> all() {
    return List.of(breast(), lung(), colorectal(), incompleteBreast());
  }

  /** The hospital, its practitioners and its PACS endpoint, shared by every patient's record. */
  public static List<Resource> directory() {
    return SharedDirectory.resources();
  }

  /**
   * A complete breast cancer record padded with earlier visits (blood counts, vital signs, progress
   * notes, follow-up CTs) to exactly {@code resourceCount} resources, for pull benchmarks.
   *
   * @throws IllegalArgumentException if {@code resourceCount} is smaller than the complete record
   */
  public static SyntheticPatient withVolume(String id, int resourceCount) {
    RecordBuilder record =
        new RecordBuilder(id, "Vera", "Volume-Testpatient", FEMALE, "1966-09-30", "SBX-" + id);
    completeBreastStory(record);
    if (resourceCount < record.size()) {
      throw new IllegalArgumentException(
          "a complete record already has " + record.size() + " resources");
    }
    for (int visit = 1; record.size() < resourceCount; visit++) {
      earlierVisit(record, visit, resourceCount - record.size());
    }
    return record.build("breast", List.of());
  }

  private static SyntheticPatient breast() {
    RecordBuilder record =
        new RecordBuilder(BREAST, "Ada", "Testpatient", FEMALE, "1971-04-12", "SBX-0001");
    completeBreastStory(record);
    return record.build("breast", List.of());
  }

  private static void completeBreastStory(RecordBuilder record) {
    ImagingStudy mammogram =
        study(record, "mammogram", Modality.MG, breastCoding(), "Bilateral mammogram", 4, 75);
    report(
        record,
        "mammogram-report",
        concept(LOINC, "24606-6", "MG Breast Screening"),
        mammogram,
        "Irregular spiculated mass of 2.4 cm, left breast, upper outer quadrant. BI-RADS 5.",
        74);
    Condition cancer = breastCancer(record, new Stage("IIA", "cT2", "cN0", "cM0"), 60);
    record.bloodCount("cbc", 13.1, 6.4, 254, 48);
    Encounter stay = record.encounter("surgery-stay", "IMP", 45, 44);
    record.procedure(
        "lumpectomy",
        surgical(),
        lumpectomy(),
        breastSite(),
        stay,
        cancer,
        SharedDirectory.SURGEON,
        45);
    Specimen specimen =
        tissue(record, "specimen", breastSite(), "SP25-0101", SharedDirectory.SURGEON, 45);
    pathologyReport(
        record,
        specimen,
        concept(SNOMED, "82711006", "Infiltrating duct carcinoma"),
        "Left breast lumpectomy: invasive ductal carcinoma, grade 2, 23 mm, margins clear."
            + " ER positive, PR positive, HER2 negative.",
        40,
        marker(
            record,
            "er",
            "85337-4",
            "Estrogen receptor Ag [Presence] in Breast cancer specimen by Immune stain",
            true,
            specimen,
            41),
        marker(
            record,
            "pr",
            "85339-0",
            "Progesterone receptor Ag [Presence] in Breast cancer specimen by Immune stain",
            true,
            specimen,
            41),
        marker(record, "her2", "48676-1", "HER2 [Interpretation] in Tissue", false, specimen, 41));
    document(
        record,
        "discharge-summary",
        dischargeSummary(),
        SharedDirectory.SURGEON,
        stay,
        DISCHARGE_TEXT.formatted("left breast lumpectomy", 1),
        44);
    record.ecog(0, 21);
    record.carePlan(
        cancer,
        "Adjuvant treatment plan",
        "Whole-breast radiotherapy, 40 Gy in 15 fractions, then tamoxifen 20 mg daily for 5 years.",
        14);
    record.medication("tamoxifen", "10324", "tamoxifen", "20 mg by mouth once daily", cancer, 14);
  }

  private static SyntheticPatient lung() {
    RecordBuilder record =
        new RecordBuilder(LUNG, "Ben", "Testpatient", MALE, "1958-11-03", "SBX-0002");
    CodeableConcept lung = concept(SNOMED, "39607008", "Lung structure");
    ImagingStudy ct =
        study(
            record,
            "ct-chest",
            Modality.CT,
            lung.getCodingFirstRep(),
            "CT chest with contrast",
            3,
            80);
    report(
        record,
        "ct-chest-report",
        concept(LOINC, "24627-2", "CT Chest"),
        ct,
        "Spiculated 3.8 cm mass in the right upper lobe; enlarged ipsilateral mediastinal nodes.",
        79);
    ImagingStudy pet =
        study(record, "pet-ct", Modality.PT, lung.getCodingFirstRep(), "FDG PET-CT", 3, 68);
    report(
        record,
        "pet-ct-report",
        concept(LOINC, "44136-0", null, "FDG PET-CT"),
        pet,
        "FDG-avid right upper lobe mass and ipsilateral mediastinal nodes; no distant disease.",
        67);
    Condition cancer =
        cancer(
            record,
            concept(SNOMED, "254637007", "Non-small cell lung cancer"),
            lung,
            "encounter-diagnosis",
            new Stage("IIIA", "cT2a", "cN2", "cM0"),
            52);
    Encounter visit = record.encounter("bronchoscopy-visit", "AMB", 60, 60);
    record.procedure(
        "bronchoscopy",
        concept(SNOMED, "103693007", "Diagnostic procedure"),
        concept(SNOMED, "173160006", "Diagnostic fiberoptic bronchoscopy"),
        lung,
        visit,
        cancer,
        SharedDirectory.PULMONOLOGIST,
        60);
    Specimen specimen =
        tissue(record, "specimen", lung, "SP25-0102", SharedDirectory.PULMONOLOGIST, 60);
    pathologyReport(
        record,
        specimen,
        concept(SNOMED, "35917007", "Adenocarcinoma, no subtype"),
        "Bronchial biopsy, right upper lobe: adenocarcinoma of lung, acinar pattern.",
        56);
    record.bloodCount("cbc", 14.2, 8.1, 301, 58);
    record.ecog(1, 30);
    record.carePlan(
        cancer,
        "Concurrent chemoradiotherapy",
        "Definitive chemoradiotherapy, 60 Gy in 30 fractions with weekly carboplatin and"
            + " paclitaxel, followed by consolidation immunotherapy.",
        20);
    record.medication(
        "carboplatin", "40048", "carboplatin", "AUC 2 IV weekly during radiotherapy", cancer, 20);
    record.medication(
        "paclitaxel", "56946", "paclitaxel", "45 mg/m2 IV weekly during radiotherapy", cancer, 20);
    return record.build("lung", List.of());
  }

  private static SyntheticPatient colorectal() {
    RecordBuilder record =
        new RecordBuilder(COLORECTAL, "Cora", "Testpatient", FEMALE, "1963-02-21", "SBX-0003");
    CodeableConcept colon = concept(SNOMED, "71854001", "Colon structure");
    ImagingStudy ct =
        study(
            record,
            "ct-abdomen-pelvis",
            Modality.CT,
            colon.getCodingFirstRep(),
            "CT abdomen and pelvis with IV contrast",
            3,
            84);
    report(
        record,
        "ct-abdomen-pelvis-report",
        concept(
            LOINC, "18748-4", "Diagnostic imaging study", "CT abdomen and pelvis with IV contrast"),
        ct,
        "5 cm sigmoid colon mass with two enlarged pericolic nodes. Liver and lung bases clear.",
        83);
    Condition cancer =
        cancer(
            record,
            concept(SNOMED, "363406005", "Malignant tumor of colon"),
            colon,
            "problem-list-item",
            new Stage("IIIB", "cT3", "cN1", "cM0"),
            80);
    record.lab(
        "cea", "2039-6", "Carcinoembryonic Ag [Mass/volume] in Serum or Plasma", 7.8, "ng/mL", 82);
    record.bloodCount("cbc", 11.2, 7.3, 388, 82);
    Encounter stay = record.encounter("surgery-stay", "IMP", 70, 64);
    record.procedure(
        "colectomy",
        surgical(),
        concept(SNOMED, "43075005", "Partial resection of colon"),
        colon,
        stay,
        cancer,
        SharedDirectory.SURGEON,
        70);
    Specimen specimen = tissue(record, "specimen", colon, "SP25-0103", SharedDirectory.SURGEON, 70);
    pathologyReport(
        record,
        specimen,
        concept(SNOMED, "35917007", "Adenocarcinoma, no subtype"),
        "Sigmoid colectomy: adenocarcinoma, moderately differentiated, through the muscularis"
            + " propria; 2 of 17 lymph nodes involved; margins clear.",
        65);
    document(
        record,
        "discharge-summary",
        dischargeSummary(),
        SharedDirectory.SURGEON,
        stay,
        DISCHARGE_TEXT.formatted("sigmoid colectomy", 6),
        64);
    record.ecog(0, 30);
    record.carePlan(
        cancer,
        "Adjuvant chemotherapy",
        "Adjuvant CAPOX (capecitabine and oxaliplatin) for 3 months, then CEA and CT surveillance.",
        21);
    record.medication(
        "oxaliplatin",
        "32592",
        "oxaliplatin",
        "130 mg/m2 IV on day 1 of each 21-day cycle",
        cancer,
        21);
    record.medication(
        "capecitabine",
        "194000",
        "capecitabine",
        "1000 mg/m2 by mouth twice daily on days 1-14 of each 21-day cycle",
        cancer,
        21);
    return record.build("colorectal", List.of());
  }

  /**
   * Operated on, but the pathology report has not been filed, the discharge summary was never
   * written and no treatment plan exists yet: what a referral often looks like in practice.
   */
  private static SyntheticPatient incompleteBreast() {
    RecordBuilder record =
        new RecordBuilder(
            BREAST_INCOMPLETE, "Dina", "Testpatient", FEMALE, "1979-08-09", "SBX-0004");
    ImagingStudy mammogram =
        study(
            record,
            "mammogram",
            Modality.MG,
            breastCoding(),
            "Screening mammogram, bilateral",
            2,
            50);
    report(
        record,
        "mammogram-report",
        concept(LOINC, "24606-6", "MG Breast Screening"),
        mammogram,
        "Irregular 1.4 cm mass, left breast. BI-RADS 5.",
        49);
    Condition cancer = breastCancer(record, new Stage("IA", "cT1c", "cN0", "cM0"), 40);
    record.bloodCount("cbc", 12.8, 5.9, 231, 33);
    Encounter stay = record.encounter("surgery-stay", "IMP", 30, 29);
    record.procedure(
        "lumpectomy",
        surgical(),
        lumpectomy(),
        breastSite(),
        stay,
        cancer,
        SharedDirectory.SURGEON,
        30);
    tissue(record, "specimen", breastSite(), "SP25-0104", SharedDirectory.SURGEON, 30);
    record.ecog(0, 25);
    return record.build(
        "breast", List.of("pathology-report", "discharge-summary", "treatment-plan"));
  }

  /** One earlier visit of a volume record, sized to fit the {@code room} left. */
  private static void earlierVisit(RecordBuilder record, int visit, int room) {
    String name = "visit-" + visit;
    int daysAgo = 100 + visit;
    if (room >= 4 && visit % 3 == 0) {
      record.bloodCount(
          name + "-cbc", 12 + visit % 20 / 10.0, 5 + visit % 30 / 10.0, 200 + visit % 90, daysAgo);
    } else if (room >= 3 && visit % 3 == 1) {
      Encounter encounter = record.encounter(name, "AMB", daysAgo, daysAgo);
      document(
          record,
          name + "-note",
          concept(LOINC, "11506-3", "Progress note"),
          SharedDirectory.ONCOLOGIST,
          encounter,
          "Progress note (synthetic), visit " + visit + ": well, no new symptoms.",
          daysAgo);
    } else if (room >= 2 && visit % 3 == 2) {
      Coding chest = new Coding(SNOMED, "51185008", "Thoracic structure");
      ImagingStudy ct =
          study(record, name + "-ct", Modality.CT, chest, "Follow-up CT chest", 2, daysAgo);
      report(
          record,
          name + "-ct-report",
          concept(LOINC, "24627-2", "CT Chest"),
          ct,
          "No suspicious pulmonary nodules.",
          daysAgo);
    } else {
      record.vital(name + "-heart-rate", "8867-4", "Heart rate", 60 + visit % 25, "/min", daysAgo);
    }
  }

  private static Condition breastCancer(RecordBuilder record, Stage stage, int daysAgo) {
    return cancer(
        record,
        concept(SNOMED, "254837009", "Malignant neoplasm of breast"),
        breastSite(),
        "problem-list-item",
        stage,
        daysAgo);
  }

  private static CodeableConcept breastSite() {
    return concept(SNOMED, "76752008", "Breast structure");
  }

  private static Coding breastCoding() {
    return breastSite().getCodingFirstRep();
  }

  private static CodeableConcept surgical() {
    return concept(SNOMED, "387713003", "Surgical procedure");
  }

  private static CodeableConcept lumpectomy() {
    return concept(SNOMED, "392021009", "Lumpectomy of breast");
  }

  private static CodeableConcept dischargeSummary() {
    return concept(LOINC, "18842-5", "Discharge summary");
  }
}
