package health.secondlook.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import health.secondlook.sandbox.SandboxEhrServerServletTest.ServletExtension;
import health.secondlook.sandbox.recipient.SandboxRecipientSystem;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sandbox recipient, mounted where demo mode mounts it and driven by a real HAPI client the way
 * SecondLook delivers: transactions and messages that are safe to send twice.
 */
class SandboxRecipientSystemTest {

  private static final FhirContext CTX = FhirContext.forR4Cached();
  private static final String TASK_SYSTEM = "https://referrer.example.org/requests";

  @RegisterExtension
  static final ServletExtension SERVER =
      new ServletExtension(new SandboxRecipientSystem())
          .withServletPath("/sandbox-recipient/fhir/*")
          .keepAliveBetweenTests();

  IGenericClient client() {
    return CTX.newRestfulGenericClient(SERVER.getBaseUrl());
  }

  @Test
  void aTransactionSentTwiceStoresOneDocumentAndOneTaskThatPointsAtIt() {
    Bundle document = document();
    String taskId = UUID.randomUUID().toString();

    Bundle first = client().transaction().withBundle(transaction(document, task(taskId))).execute();
    Bundle second =
        client().transaction().withBundle(transaction(document, task(taskId))).execute();

    assertThat(first.getEntry())
        .extracting(e -> e.getResponse().getStatus())
        .containsExactly("201 Created", "201 Created");
    assertThat(second.getEntry())
        .extracting(e -> e.getResponse().getStatus())
        .containsExactly("200 OK", "200 OK");
    List<Bundle> documents = byIdentifier(Bundle.class, document.getIdentifier());
    assertThat(documents).hasSize(1);
    List<Task> tasks =
        byIdentifier(Task.class, new Identifier().setSystem(TASK_SYSTEM).setValue(taskId));
    assertThat(tasks).hasSize(1);
    assertThat(tasks.get(0).getMeta().getVersionId()).isEqualTo("2");
    assertThat(((Reference) tasks.get(0).getOutputFirstRep().getValue()).getReference())
        .isEqualTo("Bundle/" + documents.get(0).getIdPart());
    // The document's own references are its own: stored as sent.
    assertThat(withoutIdAndMeta(documents.get(0))).isEqualTo(withoutIdAndMeta(document));
  }

  @Test
  void aMessageReplayedStoresNothingNewAndGetsTheSameAnswer() {
    Bundle document = document();
    String taskId = UUID.randomUUID().toString();
    Bundle message = message(document, task(taskId));

    Bundle answer = processMessage(message);
    Bundle replayed = processMessage(message);

    MessageHeader response = (MessageHeader) answer.getEntryFirstRep().getResource();
    assertThat(response.getResponse().getCode()).isEqualTo(MessageHeader.ResponseType.OK);
    assertThat(response.getResponse().getIdentifier())
        .isEqualTo(message.getEntryFirstRep().getResource().getIdElement().getIdPart());
    assertThat(replayed.getIdentifier().getValue()).isEqualTo(answer.getIdentifier().getValue());
    assertThat(byIdentifier(Bundle.class, document.getIdentifier())).hasSize(1);
    List<Task> tasks =
        byIdentifier(Task.class, new Identifier().setSystem(TASK_SYSTEM).setValue(taskId));
    assertThat(tasks).hasSize(1);
    assertThat(((Reference) tasks.get(0).getOutputFirstRep().getValue()).getReference())
        .isEqualTo(
            "Bundle/" + byIdentifier(Bundle.class, document.getIdentifier()).get(0).getIdPart());
    assertThat(((Reference) tasks.get(0).getFocus()).getReference()).startsWith("ServiceRequest/");
  }

  @Test
  void aConditionalUpdateOfATaskUpdatesTheOneItFinds() {
    String taskId = UUID.randomUUID().toString();
    String url = "Task?identifier=" + TASK_SYSTEM + "|" + taskId;

    boolean created =
        Boolean.TRUE.equals(
            client().update().resource(task(taskId)).conditionalByUrl(url).execute().getCreated());
    Task changed = task(taskId);
    changed.setStatus(Task.TaskStatus.RECEIVED);
    client().update().resource(changed).conditionalByUrl(url).execute();

    assertThat(created).isTrue();
    List<Task> tasks =
        byIdentifier(Task.class, new Identifier().setSystem(TASK_SYSTEM).setValue(taskId));
    assertThat(tasks)
        .singleElement()
        .extracting(Task::getStatus)
        .isEqualTo(Task.TaskStatus.RECEIVED);
  }

  @Test
  void ambiguousConditionalWritesAndForeignTypesAreRefused() {
    String shared = UUID.randomUUID().toString();
    client().create().resource(task(shared)).execute();
    client().create().resource(task(shared)).execute();

    assertThatThrownBy(
            () ->
                client()
                    .update()
                    .resource(task(shared))
                    .conditionalByUrl("Task?identifier=" + TASK_SYSTEM + "|" + shared)
                    .execute())
        .isInstanceOf(PreconditionFailedException.class);
    Bundle foreign = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    foreign
        .addEntry()
        .setResource(new Observation().setStatus(Observation.ObservationStatus.FINAL))
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("Observation");
    assertThatThrownBy(() -> client().transaction().withBundle(foreign).execute())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Observation");
  }

  private Bundle processMessage(Bundle message) {
    return client()
        .operation()
        .processMessage()
        .setMessageBundle(message)
        .synchronous(Bundle.class)
        .execute();
  }

  private <T extends Resource> List<T> byIdentifier(Class<T> type, Identifier identifier) {
    return client()
        .search()
        .byUrl(
            type.getSimpleName()
                + "?identifier="
                + identifier.getSystem()
                + "|"
                + identifier.getValue())
        .returnBundle(Bundle.class)
        .execute()
        .getEntry()
        .stream()
        .map(e -> type.cast(e.getResource()))
        .toList();
  }

  /** A small document: a Composition and a Patient it points at by urn:uuid. */
  private static Bundle document() {
    Bundle document = new Bundle().setType(Bundle.BundleType.DOCUMENT);
    document.setIdentifier(
        new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + UUID.randomUUID()));
    String patientUrl = "urn:uuid:" + UUID.randomUUID();
    Composition composition = new Composition();
    composition.setStatus(Composition.CompositionStatus.FINAL);
    composition.setType(new CodeableConcept().setText("Referral note"));
    composition.setSubject(new Reference(patientUrl));
    composition.setTitle("Second-opinion packet");
    document.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(composition);
    document.addEntry().setFullUrl(patientUrl).setResource(new Patient().setActive(true));
    return document;
  }

  private static Task task(String id) {
    Task task = new Task();
    task.addIdentifier().setSystem(TASK_SYSTEM).setValue(id);
    task.setStatus(Task.TaskStatus.REQUESTED);
    task.setIntent(Task.TaskIntent.ORDER);
    return task;
  }

  private static Bundle transaction(Bundle document, Task task) {
    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    String documentUrl = "urn:uuid:" + UUID.randomUUID();
    Identifier id = document.getIdentifier();
    transaction
        .addEntry()
        .setFullUrl(documentUrl)
        .setResource(document.copy())
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("Bundle")
        .setIfNoneExist("identifier=" + id.getSystem() + "|" + id.getValue());
    Task copy = task.copy();
    copy.addOutput()
        .setType(new CodeableConcept().setText("packet"))
        .setValue(new Reference(documentUrl));
    Identifier taskId = task.getIdentifierFirstRep();
    transaction
        .addEntry()
        .setFullUrl("urn:uuid:" + UUID.randomUUID())
        .setResource(copy)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.PUT)
        .setUrl("Task?identifier=" + taskId.getSystem() + "|" + taskId.getValue());
    return transaction;
  }

  private static Bundle message(Bundle document, Task task) {
    String base = "https://secondlook.example.org/fhir/";
    ServiceRequest request = new ServiceRequest();
    request
        .addIdentifier()
        .setSystem(TASK_SYSTEM)
        .setValue(task.getIdentifierFirstRep().getValue());
    request.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
    request.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
    request.setSubject(new Reference(base + "Patient/p1"));
    Task copy = task.copy();
    copy.setFocus(new Reference(base + "ServiceRequest/sr1"));
    copy.addOutput()
        .setType(new CodeableConcept().setText("packet"))
        .setValue(new Reference(base + "Bundle/b1"));
    MessageHeader header = new MessageHeader();
    header.setId(UUID.randomUUID().toString());
    header
        .getEventCoding()
        .setSystem("https://secondlook.health/fhir/CodeSystem/message-event")
        .setCode("second-opinion-referral");
    header.getSource().setEndpoint(base);
    header.addDestination().setEndpoint(SERVER.getBaseUrl());
    header.addFocus(new Reference(base + "Task/t1"));
    Bundle message = new Bundle().setType(Bundle.BundleType.MESSAGE);
    message.setIdentifier(
        new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + header.getIdPart()));
    message.addEntry().setFullUrl("urn:uuid:" + header.getIdPart()).setResource(header);
    message.addEntry().setFullUrl(base + "Task/t1").setResource(copy);
    message.addEntry().setFullUrl(base + "ServiceRequest/sr1").setResource(request);
    message.addEntry().setFullUrl(base + "Bundle/b1").setResource(document.copy());
    return message;
  }

  /** The content a signature covers; encoded, not copied, since a copy keeps parser links. */
  private static String withoutIdAndMeta(Bundle bundle) {
    String id = bundle.getId();
    Meta meta = bundle.getMeta();
    bundle.setId((String) null);
    bundle.setMeta(null);
    try {
      return CTX.newJsonParser().encodeResourceToString(bundle);
    } finally {
      bundle.setId(id);
      bundle.setMeta(meta);
    }
  }
}
