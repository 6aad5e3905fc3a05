package health.secondlook.mappings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.secondlook.mappings.MappingProfile.Match;
import health.secondlook.mappings.MappingProfile.Recent;
import health.secondlook.mappings.MappingProfile.Rule;
import health.secondlook.mappings.MappingProfile.Search;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MappingProfilesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void defaultProfileCoversEveryResourceClassASecondOpinionNeeds() {
    MappingProfile profile = TestFixtures.PROFILE;

    assertThat(profile.name()).isEqualTo("r4-default");
    assertThat(profile.description()).isNotBlank();
    assertThat(profile.searches())
        .extracting(Search::resourceType)
        .contains(
            "Patient",
            "Condition",
            "Observation",
            "DiagnosticReport",
            "ImagingStudy",
            "CarePlan",
            "MedicationRequest",
            "Procedure",
            "DocumentReference",
            "Specimen");
    assertThat(profile.conditions()).containsOnlyKeys("surgery");
  }

  @Test
  void defaultProfileWritesBackAConsultNoteADiagnosticReportAndTheTaskToAPlainServer() {
    WriteBack writeBack = TestFixtures.PROFILE.writeBack();

    assertThat(writeBack.requests()).isEqualTo(WriteBack.Requests.SEPARATE);
    assertThat(writeBack.identifierSystem()).isEqualTo("https://secondlook.health/fhir/feedback");
    assertThat(writeBack.document().type())
        .isEqualTo(new WriteBack.Code("http://loinc.org", "11488-4", "Consult note"));
    assertThat(writeBack.summary().resourceType()).isEqualTo("DiagnosticReport");
    assertThat(writeBack.summary().code().code()).isEqualTo("11488-4");
    assertThat(writeBack.task().update()).isTrue();
    assertThat(writeBack.task().query("https://referrer.example.org|r-1", "p-1"))
        .isEqualTo("identifier=https://referrer.example.org|r-1");
    assertThat(writeBack.informationRequest().resourceType()).isEqualTo("CommunicationRequest");
  }

  @Test
  void codeRulesTestTheItemsOwnValueSetFromTheCodeSystem() {
    assertThat(TestFixtures.PROFILE.classification())
        .filteredOn(rule -> rule.match() == Match.CODE)
        .filteredOn(rule -> !isStagedConditionRule(rule))
        .isNotEmpty()
        .allSatisfy(
            rule ->
                assertThat(rule.valueSet())
                    .isEqualTo(TestFixtures.item(rule.item()).valueSetUrl()));
    assertThat(TestFixtures.PROFILE.classification())
        .filteredOn(rule -> rule.match() == Match.ANY)
        .extracting(Rule::item, Rule::resourceType, Rule::valueSet)
        .containsExactly(
            tuple("treatment-plan", "CarePlan", null),
            tuple("current-medications", "MedicationRequest", null));
  }

  /**
   * A staged Condition is the stage when its code is a cancer: the file names the diagnosis
   * ValueSet, and loading keeps it rather than filling in the stage item's own.
   */
  @Test
  void aValueSetNamedInTheFileOverridesTheItemsOwn() {
    assertThat(TestFixtures.PROFILE.classification())
        .filteredOn(MappingProfilesTest::isStagedConditionRule)
        .extracting(Rule::valueSet)
        .containsExactly(TestFixtures.item("diagnosis").valueSetUrl());
  }

  private static boolean isStagedConditionRule(Rule rule) {
    return rule.item().equals("stage") && rule.resourceType().equals("Condition");
  }

  @Test
  void defaultProfileSendsTheLastYearsLabResultsAndTheFiveNewestNotes() {
    assertThat(TestFixtures.PROFILE.classification())
        .filteredOn(rule -> rule.recent() != null)
        .extracting(Rule::item, Rule::resourceType, Rule::recent)
        .containsExactly(
            tuple(
                "blood-tests",
                "DiagnosticReport",
                new Recent("DiagnosticReport.effective", "P1Y", null)),
            tuple("blood-tests", "Observation", new Recent("Observation.effective", "P1Y", null)),
            tuple(
                "clinical-notes",
                "DocumentReference",
                new Recent("DocumentReference.date", null, 5)));
  }

  @Test
  void requestsAreLimitedToThePatient() {
    assertThat(TestFixtures.PROFILE.searches())
        .extracting(search -> search.request("p-1.a"))
        .contains("Patient/p-1.a", "Condition?patient=p-1.a&_count=100")
        .allSatisfy(request -> assertThat(request).contains("p-1.a").doesNotContain("{"));
  }

  @Test
  void aPatientIdThatWouldChangeTheQueryIsRefused() {
    Search conditions = TestFixtures.PROFILE.searches().get(1);

    assertThatThrownBy(() -> conditions.request("p1&_id=p2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a FHIR resource id");
  }

  @Test
  void loadAllFindsTheShippedProfiles() {
    assertThat(MappingProfiles.loadAll()).containsEntry("r4-default", TestFixtures.PROFILE);
  }

  @Test
  void aSiteDirectoryReplacesTheShippedProfileOfTheSameName() throws IOException {
    ObjectNode edited = defaultJson();
    edited.put("description", "Our EHR, which files pathology as documents.");
    write(edited);

    assertThat(MappingProfiles.loadFrom(dir))
        .containsOnlyKeys("r4-default")
        .extractingByKey("r4-default")
        .extracting(MappingProfile::description)
        .isEqualTo("Our EHR, which files pathology as documents.");
  }

  @Test
  void aSiteChoosesACommunicationItsOwnOutcomeCodesAndATransaction() throws IOException {
    ObjectNode edited = defaultJson();
    ObjectNode writeBack = (ObjectNode) edited.get("writeBack");
    writeBack.put("requests", "transaction");
    ObjectNode summary = (ObjectNode) writeBack.get("summary");
    summary.put("resourceType", "Communication");
    summary.remove("code");
    summary
        .putObject("outcomeCodes")
        .putObject("confirms-plan")
        .put("system", "urn:oid:1.2.3.4")
        .put("code", "SO-OK")
        .put("display", "Second opinion confirms plan");
    ((ObjectNode) writeBack.get("task")).put("match", "identifier={identifier}&patient={patient}");
    write(edited);

    WriteBack loaded = MappingProfiles.loadFrom(dir).get("r4-default").writeBack();

    assertThat(loaded.requests()).isEqualTo(WriteBack.Requests.TRANSACTION);
    assertThat(loaded.summary().resourceType()).isEqualTo("Communication");
    assertThat(loaded.summary().code()).isNull();
    assertThat(loaded.summary().outcomeCodes().get("confirms-plan").toCoding().getCode())
        .isEqualTo("SO-OK");
    assertThat(loaded.task().query("s|v", "p-1")).isEqualTo("identifier=s|v&patient=p-1");
  }

  @Test
  void withoutAWriteBackSectionNothingIsWrittenBack() throws IOException {
    ObjectNode edited = defaultJson();
    edited.remove("writeBack");
    write(edited);

    assertThat(MappingProfiles.loadFrom(dir).get("r4-default").writeBack()).isNull();
  }

  @Test
  void aSiteWritesInformationRequestsAsCommunicationsOrNotAtAll() throws IOException {
    ObjectNode edited = defaultJson();
    ObjectNode request = (ObjectNode) edited.at("/writeBack/informationRequest");
    request.put("resourceType", "Communication");
    request
        .putArray("category")
        .addObject()
        .put("system", "http://terminology.hl7.org/CodeSystem/communication-category")
        .put("code", "instruction");
    write(edited);

    WriteBack.InformationRequest loaded =
        MappingProfiles.loadFrom(dir).get("r4-default").writeBack().informationRequest();
    assertThat(loaded.resourceType()).isEqualTo("Communication");
    assertThat(loaded.category()).extracting(WriteBack.Code::code).containsExactly("instruction");

    ((ObjectNode) edited.get("writeBack")).remove("informationRequest");
    write(edited);
    assertThat(MappingProfiles.loadFrom(dir).get("r4-default").writeBack().informationRequest())
        .isNull();
  }

  @Test
  void leavingTheTaskAloneNeedsNoMatch() throws IOException {
    ObjectNode edited = defaultJson();
    ObjectNode task = (ObjectNode) edited.at("/writeBack/task");
    task.put("update", false);
    task.remove("match");
    write(edited);

    assertThat(MappingProfiles.loadFrom(dir).get("r4-default").writeBack().task().update())
        .isFalse();
  }

  @Test
  void unknownOrUnsafeNamesAreRefused() {
    assertThatThrownBy(() -> MappingProfiles.load("epic"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("secondlook/mappings/epic.json");
    assertThatThrownBy(() -> MappingProfiles.load("../terminology/CodeSystem-packet-item"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a mapping profile name");
  }

  /** Each case edits one field of the shipped file; the error must name that field and why. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "unknown packet item; /classification/3/item; \"pathology-reprt\"; classification[3].item;"
            + " unknown packet item 'pathology-reprt'",
        "unknown resource type; /searches/1/resourceType; \"Conditon\"; searches[1].resourceType;"
            + " unknown resource type 'Conditon'",
        "unknown rule resource type; /classification/7/resourceType; \"ImagingStudie\";"
            + " classification[7].resourceType; unknown resource type 'ImagingStudie'",
        "unparseable FHIRPath; /classification/0/where; \"Condition.stage.exists(\";"
            + " classification[0].where; is not valid FHIRPath",
        "misspelt element; /classification/3/codePaths/0; \"DiagnosticReport.cod\";"
            + " classification[3].codePaths[0]; The name 'cod' is not valid",
        "code path yields text; /classification/2/codePaths/0; \"Observation.code.text\";"
            + " classification[2].codePaths[0]; not Coding or CodeableConcept",
        "where is not boolean; /classification/12/where; \"CarePlan.status\";"
            + " classification[12].where; not boolean",
        "follow yields no reference; /searches/4/follow/0; \"DiagnosticReport.status\";"
            + " searches[4].follow[0]; not Reference or Attachment",
        "query without patient; /searches/1/query; \"_count=100\"; searches[1].query;"
            + " has no {patient}",
        "unknown placeholder; /searches/1/query; \"patient={patient}&date=ge{since}\";"
            + " searches[1].query; unknown placeholder {since}",
        "unknown search parameter; /searches/10/query; \"patiet={patient}\"; searches[10].query;"
            + " Specimen has no search parameter 'patiet'",
        "read of another type; /searches/0/resourceType; \"Practitioner\";"
            + " searches[0].interaction; only Patient can be read",
        "item on a type that cannot carry it; /classification/7/item; \"pathology-report\";"
            + " classification[7].resourceType; is carried by [DiagnosticReport, DocumentReference],"
            + " not ImagingStudy",
        "codes with match any; /classification/12/codePaths; [\"CarePlan.category\"];"
            + " classification[12].codePaths; must be left out with \"match\": \"any\"",
        "code rule without paths; /classification/16/codePaths; []; classification[16].codePaths;"
            + " missing; a rule without codes says \"match\": \"any\"",
        "unknown match; /classification/12/match; \"anything\"; classification[12].match;"
            + " not one of the values accepted",
        "recent with neither within nor newest; /classification/9/recent;"
            + " {\"by\": \"Observation.effective\"}; classification[9].recent;"
            + " says neither \"within\" nor \"newest\"",
        "recent within not a period; /classification/9/recent/within; \"1 year\";"
            + " classification[9].recent.within; '1 year' is not an ISO 8601 period",
        "recent within zero; /classification/8/recent/within; \"P0D\";"
            + " classification[8].recent.within; must be a positive period",
        "recent within negative; /classification/9/recent/within; \"P-1Y\";"
            + " classification[9].recent.within; must be a positive period",
        "recent newest zero; /classification/15/recent/newest; 0;"
            + " classification[15].recent.newest; must be at least 1",
        "recent by not a date; /classification/15/recent/by; \"DocumentReference.status\";"
            + " classification[15].recent.by; not date or dateTime or instant or Period",
        "recent by misspelt; /classification/9/recent/by; \"Observation.efective\";"
            + " classification[9].recent.by; The name 'efective' is not valid",
        "recent by missing; /classification/15/recent/by; null; classification[15].recent.by;"
            + " missing FHIRPath expression",
        "recent field misspelt; /classification/15/recent/newst; 5;"
            + " classification[15].recent.newst; unknown field",
        "unknown condition; /conditions/surgery/resourceType; \"Procedur\";"
            + " conditions.surgery.resourceType; unknown resource type 'Procedur'",
        "condition without a value set; /conditions/surgery/valueSet; null;"
            + " conditions.surgery.valueSet; missing",
        "name not the file's; /name; \"r4-other\"; name; a profile is found by its file name",
        "no searches; /searches; []; searches; lists no search",
        "unknown write-back requests; /writeBack/requests; \"batch\"; writeBack.requests;"
            + " not one of the values accepted",
        "relative identifier system; /writeBack/identifierSystem; \"feedback\";"
            + " writeBack.identifierSystem; 'feedback' is not an absolute URI",
        "document without type; /writeBack/document/type; null; writeBack.document.type; missing",
        "document type without code; /writeBack/document/type/code; \"\";"
            + " writeBack.document.type.code; is not a FHIR code",
        "category without system; /writeBack/document/category/0/system; null;"
            + " writeBack.document.category[0].system; missing",
        "summary of another type; /writeBack/summary/resourceType; \"Observation\";"
            + " writeBack.summary.resourceType; written as DiagnosticReport or Communication",
        "report without code; /writeBack/summary/code; null; writeBack.summary.code; missing",
        "unknown outcome; /writeBack/summary/outcomeCodes; {\"confirms\": {\"system\":"
            + " \"http://x.org\", \"code\": \"c\"}}; writeBack.summary.outcomeCodes.confirms;"
            + " 'confirms' is not a review outcome",
        "no summary; /writeBack/summary; null; writeBack.summary; missing",
        "no task; /writeBack/task; null; writeBack.task; say \"update\": false",
        "task match without identifier; /writeBack/task/match; \"patient={patient}\";"
            + " writeBack.task.match; has no {identifier}",
        "task match with unknown placeholder; /writeBack/task/match;"
            + " \"identifier={identifier}&owner={recipient}\"; writeBack.task.match;"
            + " unknown placeholder {recipient}",
        "task match with unknown parameter; /writeBack/task/match;"
            + " \"identifer={identifier}\"; writeBack.task.match;"
            + " Task has no search parameter 'identifer'",
        "information request of another type; /writeBack/informationRequest/resourceType;"
            + " \"Task\"; writeBack.informationRequest.resourceType;"
            + " written as CommunicationRequest or Communication",
        "information request without type; /writeBack/informationRequest/resourceType; null;"
            + " writeBack.informationRequest.resourceType; missing",
        "information request category without code;"
            + " /writeBack/informationRequest/category; [{\"system\": \"http://x.org\"}];"
            + " writeBack.informationRequest.category[0].code; missing",
      })
  void anInvalidFileIsRefusedNamingTheFileFieldAndProblem(
      String description, String pointer, String value, String field, String problem)
      throws IOException {
    ObjectNode edited = defaultJson();
    set(edited, pointer, JSON.readTree(value));
    write(edited);

    assertInvalid(field, problem);
  }

  @Test
  void aMisspeltFieldIsNamed() throws IOException {
    ObjectNode edited = defaultJson();
    ObjectNode search = (ObjectNode) edited.at("/searches/1");
    search.set("qurey", search.remove("query"));
    write(edited);

    assertInvalid("searches[1].qurey", "unknown field; the fields here are");
  }

  @Test
  void aMisspeltWriteBackFieldIsNamed() throws IOException {
    ObjectNode edited = defaultJson();
    ObjectNode summary = (ObjectNode) edited.at("/writeBack/summary");
    summary.set("resourcetype", summary.remove("resourceType"));
    write(edited);

    assertInvalid("writeBack.summary.resourcetype", "unknown field; the fields here are");
  }

  @Test
  void aConditionNoItemUsesIsNamed() throws IOException {
    ObjectNode edited = defaultJson();
    ((ObjectNode) edited.get("conditions")).set("chemotherapy", edited.at("/conditions/surgery"));
    write(edited);

    assertInvalid("conditions.chemotherapy", "no packet item is required when 'chemotherapy'");
  }

  @Test
  void aMissingConditionNamesTheItemsItDecides() throws IOException {
    ObjectNode edited = defaultJson();
    edited.remove("conditions");
    write(edited);

    assertInvalid("conditions", "says nothing about 'surgery', which decides whether");
  }

  @Test
  void aDuplicatedFieldIsRefused() throws IOException {
    Files.writeString(
        dir.resolve("r4-default.json"), "{\"name\": \"r4-default\", \"name\": \"other\"}");

    assertInvalid("line 1, column 30", "Duplicate field 'name'");
  }

  @Test
  void brokenJsonIsRefusedWithItsLine() throws IOException {
    Files.writeString(dir.resolve("r4-default.json"), "{\n  \"name\": \"r4-default\",\n  ]");

    assertInvalid("line 3, column 3", "not valid JSON");
  }

  @Test
  void anItemWithoutValueSetNeedsOneNamed() throws IOException {
    ObjectNode edited = defaultJson();
    ((ArrayNode) edited.get("classification"))
        .addObject()
        .put("item", "patient-questions")
        .put("resourceType", "QuestionnaireResponse")
        .putArray("codePaths")
        .add("QuestionnaireResponse.item.answer.value");
    write(edited);

    assertInvalid("classification[17].valueSet", "patient-questions has no value-set");
  }

  @Test
  void theErrorCarriesFileAndField() throws IOException {
    ObjectNode edited = defaultJson();
    set(edited, "/classification/2/item", JSON.readTree("\"biopsy\""));
    write(edited);

    assertThatThrownBy(() -> MappingProfiles.loadFrom(dir))
        .isInstanceOfSatisfying(
            InvalidMappingException.class,
            e -> {
              assertThat(e.file()).isEqualTo("r4-default.json");
              assertThat(e.field()).isEqualTo("classification[2].item");
              assertThat(e.getMessage())
                  .startsWith("r4-default.json: classification[2].item: unknown packet item");
            });
  }

  private void assertInvalid(String field, String problem) {
    assertThatThrownBy(() -> MappingProfiles.loadFrom(dir))
        .isInstanceOf(InvalidMappingException.class)
        .hasMessageContaining("r4-default.json: " + field + ": ")
        .hasMessageContaining(problem);
  }

  private static ObjectNode defaultJson() throws IOException {
    try (InputStream in =
        MappingProfilesTest.class
            .getClassLoader()
            .getResourceAsStream("secondlook/mappings/r4-default.json")) {
      return (ObjectNode) JSON.readTree(in);
    }
  }

  private static void set(ObjectNode root, String pointer, JsonNode value) {
    JsonPointer path = JsonPointer.compile(pointer);
    JsonNode parent = root.at(path.head());
    String last = path.last().getMatchingProperty();
    if (parent instanceof ArrayNode array) {
      array.set(path.last().getMatchingIndex(), value);
    } else {
      ((ObjectNode) parent).set(last, value);
    }
  }

  private void write(JsonNode profile) throws IOException {
    Files.writeString(
        dir.resolve("r4-default.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(profile),
        StandardCharsets.UTF_8);
  }
}
