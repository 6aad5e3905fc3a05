package health.secondlook.server.packet;

import java.util.List;
import java.util.Set;

/**
 * The sections of the packet's Composition, in the order a specialist reads the case file, each
 * with its code in the packet-section CodeSystem and the packet items (from the completeness
 * report) whose records it carries. A few record types that are no packet item of their own travel
 * with the section they explain: medications with the treatment plan, procedures with surgery.
 */
enum PacketSection {
  REASON_AND_QUESTIONS("reason-and-questions", List.of("patient-questions"), Set.of()),
  DIAGNOSIS_STAGE("diagnosis-stage", List.of("diagnosis-stage"), Set.of()),
  PATHOLOGY("pathology", List.of("pathology-report", "pathology-material"), Set.of()),
  IMAGING("imaging", List.of("imaging-report", "imaging-study"), Set.of()),
  LABORATORY("laboratory", List.of("blood-tests"), Set.of()),
  TREATMENT_PLAN(
      "treatment-plan",
      List.of("treatment-plan"),
      Set.of("MedicationRequest", "MedicationStatement")),
  SURGERY_DISCHARGE("surgery-discharge", List.of("discharge-summary"), Set.of("Procedure")),
  COMPLETENESS("completeness", List.of(), Set.of()),
  URGENCY("urgency", List.of(), Set.of());

  private final String code;
  private final List<String> packetItems;
  private final Set<String> alsoResourceTypes;

  PacketSection(String code, List<String> packetItems, Set<String> alsoResourceTypes) {
    this.code = code;
    this.packetItems = packetItems;
    this.alsoResourceTypes = alsoResourceTypes;
  }

  /** The code in the packet-section CodeSystem. */
  String code() {
    return code;
  }

  /** Packet-item codes whose records go here; the first decides the LOINC section code. */
  List<String> packetItems() {
    return packetItems;
  }

  /** Pulled resource types that go here whatever the completeness report says of them. */
  Set<String> alsoResourceTypes() {
    return alsoResourceTypes;
  }
}
