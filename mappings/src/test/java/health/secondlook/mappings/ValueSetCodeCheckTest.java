package health.secondlook.mappings;

import static health.secondlook.mappings.Records.DICOM;
import static health.secondlook.mappings.Records.DICOM_CID_29;
import static health.secondlook.mappings.Records.DICOM_OID;
import static health.secondlook.mappings.Records.LOINC;
import static health.secondlook.mappings.Records.SNOMED;
import static health.secondlook.mappings.Records.SNOMED_OID;
import static health.secondlook.mappings.TestFixtures.CODES;
import static health.secondlook.mappings.TestFixtures.CTX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.secondlook.terminology.TerminologyContent;
import java.util.List;
import org.hl7.fhir.r4.model.NamingSystem;
import org.hl7.fhir.r4.model.NamingSystem.NamingSystemIdentifierType;
import org.hl7.fhir.r4.model.NamingSystem.NamingSystemType;
import org.junit.jupiter.api.Test;

class ValueSetCodeCheckTest {

  private static final String IMAGING_STUDY =
      "https://secondlook.health/fhir/ValueSet/packet-item-imaging-study";
  private static final String DIAGNOSIS =
      "https://secondlook.health/fhir/ValueSet/packet-item-diagnosis";

  @Test
  void theTerminologysNamingSystemsMapEveryOtherIdToTheCanonicalUri() {
    assertThat(ValueSetCodeCheck.aliases(TerminologyContent.loadAll(CTX)))
        .containsEntry(DICOM_CID_29, DICOM)
        .containsEntry(DICOM_OID, DICOM)
        .containsEntry(SNOMED_OID, SNOMED)
        .containsEntry("urn:oid:2.16.840.1.113883.6.1", LOINC)
        .doesNotContainKeys(DICOM, SNOMED, LOINC);
  }

  @Test
  void canonicalSystemReadsAnAliasAsItsCodeSystemAndLeavesOthersAlone() {
    assertThat(CODES.canonicalSystem(DICOM_CID_29)).isEqualTo(DICOM);
    assertThat(CODES.canonicalSystem(DICOM)).isEqualTo(DICOM);
    assertThat(CODES.canonicalSystem("http://example.org/modality"))
        .isEqualTo("http://example.org/modality");
  }

  @Test
  void aCodeUnderAnAliasIsInTheValueSetThatListsItUnderTheCanonicalUri() {
    assertThat(CODES.contains(IMAGING_STUDY, DICOM, "CT")).isTrue();
    assertThat(CODES.contains(IMAGING_STUDY, DICOM_CID_29, "CT")).isTrue();
    assertThat(CODES.contains(IMAGING_STUDY, DICOM_OID, "PT")).isTrue();
    assertThat(CODES.contains(DIAGNOSIS, SNOMED_OID, "254837009")).isTrue();

    assertThat(CODES.contains(IMAGING_STUDY, DICOM_CID_29, "SR")).isFalse();
    assertThat(CODES.contains(IMAGING_STUDY, "http://example.org/modality", "CT")).isFalse();
  }

  @Test
  void aCheckWithoutNamingSystemsKnowsNoAlias() {
    ValueSetCodeCheck bare =
        ValueSetCodeCheck.of(
            CTX,
            TerminologyContent.loadAll(CTX).stream()
                .filter(r -> !(r instanceof NamingSystem))
                .toList());

    assertThat(bare.canonicalSystem(DICOM_CID_29)).isEqualTo(DICOM_CID_29);
    assertThat(bare.contains(IMAGING_STUDY, DICOM_CID_29, "CT")).isFalse();
    assertThat(bare.contains(IMAGING_STUDY, DICOM, "CT")).isTrue();
  }

  @Test
  void namingSystemsOfIdentifiersAreNoCodeSystemAliases() {
    NamingSystem mrn =
        namingSystem(NamingSystemType.IDENTIFIER, "https://hospital.example.org/mrn");
    mrn.addUniqueId().setType(NamingSystemIdentifierType.OID).setValue("1.2.3.4");

    assertThat(ValueSetCodeCheck.aliases(List.of(mrn))).isEmpty();
  }

  @Test
  void aCodeSystemNamingSystemWithoutPreferredUriIsRefused() {
    NamingSystem local = namingSystem(NamingSystemType.CODESYSTEM, null);
    local.setId("local-codes");
    local.addUniqueId().setType(NamingSystemIdentifierType.OID).setValue("1.2.3.4");
    local
        .addUniqueId()
        .setType(NamingSystemIdentifierType.URI)
        .setValue("http://example.org/codes")
        .setPreferred(false);

    assertThatThrownBy(() -> ValueSetCodeCheck.aliases(List.of(local)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NamingSystem/local-codes has no preferred uri unique id");
  }

  private static NamingSystem namingSystem(NamingSystemType kind, String preferredUri) {
    NamingSystem names = new NamingSystem();
    names.setKind(kind);
    if (preferredUri != null) {
      names
          .addUniqueId()
          .setType(NamingSystemIdentifierType.URI)
          .setValue(preferredUri)
          .setPreferred(true);
    }
    return names;
  }
}
