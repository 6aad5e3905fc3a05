package health.secondlook.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.test.utilities.server.RestfulServerExtension;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.CommunicationRequest;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sandbox EHR accepts a write-back the way a plain R4 server does: conditional creates on an
 * identifier never make a second copy, the referral Task is updated where its identifier is found,
 * and a transaction of both, with references between its entries, is all-or-nothing and repeatable.
 */
class SandboxWriteTest {

  private static final String SYSTEM = "https://secondlook.health/fhir/feedback";

  private static final SandboxEhr EHR =
      new SandboxEhr(FhirContext.forR4Cached(), 5).seed(SyntheticCancerPatients.all());

  @RegisterExtension
  static final RestfulServerExtension SERVER =
      new RestfulServerExtension(FhirContext.forR4Cached())
          .withServer(EHR::installInto)
          .keepAliveBetweenTests();

  @Test
  void aConditionalCreateSentTwiceMakesOneResource() {
    String value = UUID.randomUUID().toString();
    MethodOutcome first = create(consultNote(value), value);
    // HAPI's client, set to JSON, adds _format to the condition
    MethodOutcome second =
        client()
            .create()
            .resource(consultNote(value))
            .conditionalByUrl(
                "DocumentReference?identifier=" + SYSTEM + "|" + value + "&_format=json")
            .execute();

    assertThat(first.getCreated()).isTrue();
    assertThat(second.getCreated()).isNotEqualTo(Boolean.TRUE);
    assertThat(second.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
    assertThat(search("DocumentReference?identifier=" + SYSTEM + "|" + value)).hasSize(1);
    assertThat(search("DocumentReference?patient=breast-1&identifier=" + SYSTEM + "|" + value))
        .hasSize(1);
    assertThat(search("DocumentReference?identifier=" + SYSTEM + "|other")).isEmpty();
  }

  @Test
  void aConditionalUpdateOfTheTaskMakesItOnceThenUpdatesIt() {
    String value = UUID.randomUUID().toString();
    String url = "Task?identifier=https://referrer.example.org|" + value;
    MethodOutcome made =
        client().update().resource(task(value, "requested")).conditionalByUrl(url).execute();
    MethodOutcome updated =
        client().update().resource(task(value, "completed")).conditionalByUrl(url).execute();

    assertThat(updated.getId().getIdPart()).isEqualTo(made.getId().getIdPart());
    List<Resource> tasks = search(url);
    assertThat(tasks).hasSize(1);
    assertThat(((Task) tasks.get(0)).getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
    assertThat(tasks.get(0).getMeta().getVersionId()).isEqualTo("2");
    assertThat(search("Task?patient=breast-1&identifier=https://referrer.example.org|" + value))
        .hasSize(1);
  }

  @Test
  void aRequestForMoreInformationIsStoredOnceAndFoundByPatient() {
    String system = "https://secondlook.health/fhir/information-request";
    String value = UUID.randomUUID().toString();
    String condition = "identifier=" + system + "|" + value;
    CommunicationRequest request = new CommunicationRequest();
    request.addIdentifier(new Identifier().setSystem(system).setValue(value));
    request.setStatus(CommunicationRequest.CommunicationRequestStatus.ACTIVE);
    request.setSubject(new Reference("Patient/breast-1"));
    request.addPayload().setContent(new StringType("Imaging report"));

    MethodOutcome first =
        client()
            .create()
            .resource(request)
            .conditionalByUrl("CommunicationRequest?" + condition)
            .execute();
    MethodOutcome second =
        client()
            .create()
            .resource(request)
            .conditionalByUrl("CommunicationRequest?" + condition)
            .execute();

    assertThat(first.getCreated()).isTrue();
    assertThat(second.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
    assertThat(search("CommunicationRequest?patient=breast-1&" + condition)).hasSize(1);
    assertThat(search("CommunicationRequest?patient=lung-1&" + condition)).isEmpty();
  }

  @Test
  void aConditionOnAnythingButIdentifierIsRefused() {
    assertThatThrownBy(
            () ->
                client()
                    .create()
                    .resource(consultNote("x"))
                    .conditionalByUrl("DocumentReference?status=current")
                    .execute())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("identifier=system|value only");
  }

  @Test
  void aConditionMatchingTwoResourcesIsRefused() {
    String value = UUID.randomUUID().toString();
    client().create().resource(consultNote(value)).execute();
    client().create().resource(consultNote(value)).execute();

    assertThatThrownBy(() -> create(consultNote(value), value))
        .isInstanceOf(PreconditionFailedException.class);
  }

  @Test
  void aTransactionResolvesItsReferencesAndARepeatMakesNothingNew() {
    String value = UUID.randomUUID().toString();
    Bundle first = client().transaction().withBundle(writeBack(value)).execute();
    Bundle second = client().transaction().withBundle(writeBack(value)).execute();

    assertThat(first.getEntry())
        .extracting(e -> e.getResponse().getStatus())
        .containsExactly("201 Created", "201 Created", "201 Created");
    assertThat(second.getEntry())
        .extracting(e -> e.getResponse().getStatus())
        .containsExactly("200 OK", "200 OK", "200 OK");
    String document = location(first, 0);
    String message = location(first, 1);
    assertThat(location(second, 0)).isEqualTo(document);
    assertThat(location(second, 1)).isEqualTo(message);
    assertThat(location(second, 2)).isEqualTo(location(first, 2));

    Communication stored =
        (Communication) search("Communication?identifier=" + SYSTEM + "|" + value).get(0);
    assertThat(stored.getPayloadFirstRep().getContentReference().getReference())
        .isEqualTo(document);
    Task task = (Task) search("Task?identifier=https://referrer.example.org|" + value).get(0);
    assertThat(task.getOutput())
        .extracting(o -> ((Reference) o.getValue()).getReference())
        .containsExactly(document, message);
  }

  @Test
  void aTransactionWithAnEntryItCannotStoreStoresNothing() {
    String value = UUID.randomUUID().toString();
    Bundle transaction = writeBack(value);
    transaction
        .addEntry()
        .setResource(
            new DiagnosticReport().setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL))
        .getRequest()
        .setMethod(Bundle.HTTPVerb.PUT)
        .setUrl("DiagnosticReport?status=final");

    assertThatThrownBy(() -> client().transaction().withBundle(transaction).execute())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("not 'status=final'");
    assertThat(search("DocumentReference?identifier=" + SYSTEM + "|" + value)).isEmpty();
  }

  private static Bundle writeBack(String value) {
    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    String document = "urn:uuid:" + UUID.randomUUID();
    String message = "urn:uuid:" + UUID.randomUUID();
    transaction
        .addEntry()
        .setFullUrl(document)
        .setResource(consultNote(value))
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("DocumentReference")
        .setIfNoneExist("identifier=" + SYSTEM + "|" + value);
    Communication communication = new Communication();
    communication.addIdentifier(new Identifier().setSystem(SYSTEM).setValue(value));
    communication.setStatus(Communication.CommunicationStatus.COMPLETED);
    communication.setSubject(new Reference("Patient/breast-1"));
    communication.addPayload().setContent(new Reference(document));
    transaction
        .addEntry()
        .setFullUrl(message)
        .setResource(communication)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("Communication")
        .setIfNoneExist("identifier=" + SYSTEM + "|" + value);
    Task task = task(value, "completed");
    task.addOutput().setValue(new Reference(document)).getType().setText("consult note");
    task.addOutput().setValue(new Reference(message)).getType().setText("summary");
    transaction
        .addEntry()
        .setResource(task)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.PUT)
        .setUrl("Task?identifier=https://referrer.example.org|" + value);
    return transaction;
  }

  private static String location(Bundle response, int entry) {
    return new org.hl7.fhir.r4.model.IdType(
            response.getEntry().get(entry).getResponse().getLocation())
        .toUnqualifiedVersionless()
        .getValue();
  }

  private static MethodOutcome create(DocumentReference document, String value) {
    return client()
        .create()
        .resource(document)
        .conditionalByUrl("DocumentReference?identifier=" + SYSTEM + "|" + value)
        .execute();
  }

  private static DocumentReference consultNote(String value) {
    DocumentReference document = new DocumentReference();
    document.addIdentifier(new Identifier().setSystem(SYSTEM).setValue(value));
    document.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
    document.setSubject(new Reference("Patient/breast-1"));
    document.getType().addCoding().setSystem("http://loinc.org").setCode("11488-4");
    return document;
  }

  private static Task task(String value, String status) {
    Task task = new Task();
    task.addIdentifier(new Identifier().setSystem("https://referrer.example.org").setValue(value));
    task.setStatus(Task.TaskStatus.fromCode(status));
    task.setIntent(Task.TaskIntent.ORDER);
    task.setFor(new Reference("Patient/breast-1"));
    return task;
  }

  private static List<Resource> search(String url) {
    return client().search().byUrl(url).returnBundle(Bundle.class).execute().getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .toList();
  }

  private static IGenericClient client() {
    return SERVER.getFhirClient();
  }
}
