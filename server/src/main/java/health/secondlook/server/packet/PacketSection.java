package health.secondlook.server.packet;

import java.util.List;

/**
 * The sections of the packet's Composition, in the order a specialist reads the case file, each
 * with its code in the packet-section CodeSystem and the packet items (from the completeness
 * report) whose records it carries. Only what the mapping's rules keep is sectioned: a record no
 * rule keeps is named in the completeness section instead, and still travels, unsectioned, when a
 * sectioned record references it.
 */
enum PacketSection {
  REASON_AND_QUESTIONS("reason-and-questions", List.of("patient-questions")),
  DIAGNOSIS_STAGE("diagnosis-stage", List.of("diagnosis", "stage")),
  PATHOLOGY("pathology", List.of("pathology-report", "pathology-material")),
  IMAGING("imaging", List.of("imaging-report", "imaging-study")),
  LABORATORY("laboratory", List.of("blood-tests")),
  TREATMENT_PLAN("treatment-plan", List.of("treatment-plan", "current-medications")),
  SURGERY_DISCHARGE("surgery-discharge", List.of("discharge-summary", "surgical-procedures")),
  CLINICAL_NOTES("clinical-notes", List.of("clinical-notes")),
  COMPLETENESS("completeness", List.of()),
  URGENCY("urgency", List.of());

  private final String code;
  private final List<String> packetItems;

  PacketSection(String code, List<String> packetItems) {
    this.code = code;
    this.packetItems = packetItems;
  }

  /** The code in the packet-section CodeSystem. */
  String code() {
    return code;
  }

  /** Packet-item codes whose records go here; the first decides the LOINC section code. */
  List<String> packetItems() {
    return packetItems;
  }
}
