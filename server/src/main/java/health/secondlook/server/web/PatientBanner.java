package health.secondlook.server.web;

import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

/**
 * What the patient banner at the top of every patient page shows: name, birth date, sex and the
 * record number, so no one acts on the wrong patient's records.
 */
public record PatientBanner(String id, String name, String birthDate, String gender, String mrn) {

  private static final String MRN = "MR";

  public static PatientBanner of(Patient patient) {
    HumanName name = patient.getNameFirstRep();
    String given = name.getGiven().stream().map(g -> g.getValue()).collect(Collectors.joining(" "));
    String shown = name.hasText() ? name.getText() : (given + " " + name.getFamily()).strip();
    return new PatientBanner(
        patient.getIdElement().getIdPart(),
        shown.isBlank() ? "(no name recorded)" : shown,
        patient.hasBirthDate() ? patient.getBirthDateElement().getValueAsString() : "unknown",
        patient.hasGender()
            ? patient.getGender().getDisplay().toLowerCase(java.util.Locale.ROOT)
            : "unknown",
        recordNumber(patient));
  }

  private static String recordNumber(Patient patient) {
    return patient.getIdentifier().stream()
        .filter(i -> i.getType().getCoding().stream().anyMatch(c -> MRN.equals(c.getCode())))
        .findFirst()
        .or(() -> patient.getIdentifier().stream().findFirst())
        .map(Identifier::getValue)
        .orElse("none");
  }
}
