package health.secondlook.sandbox.recipient;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.util.UrlUtil;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The sandbox recipient's system-level interactions: a {@code transaction} Bundle (POST, with
 * {@code ifNoneExist}, and PUT, by id or conditional) and {@code $process-message}. A message is
 * recognised by its {@code Bundle.identifier}: one seen before is answered as before and stores
 * nothing; a new one stores its MessageHeader and its entries, each conditional on its identifier
 * (a document Bundle is created once, other resources are updated in place).
 */
final class RecipientSystemInteractions {

  private final RecipientStore store;
  private final RecipientWrites writes;
  private final Map<String, Bundle> processedMessages = new HashMap<>();

  RecipientSystemInteractions(RecipientStore store, RecipientWrites writes) {
    this.store = store;
    this.writes = writes;
  }

  @Transaction
  public Bundle transaction(@TransactionParam Bundle transaction) {
    if (transaction.getType() != Bundle.BundleType.TRANSACTION) {
      throw new InvalidRequestException(
          "The sandbox recipient processes transaction Bundles, not " + transaction.getType());
    }
    List<RecipientWrites.Write> entries = new ArrayList<>();
    for (Bundle.BundleEntryComponent entry : transaction.getEntry()) {
      entries.add(write(entry));
    }
    List<RecipientWrites.Outcome> outcomes = writes.apply(entries);
    Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
    for (RecipientWrites.Outcome outcome : outcomes) {
      response
          .addEntry()
          .getResponse()
          .setStatus(outcome.created() ? "201 Created" : "200 OK")
          .setLocation(outcome.location());
    }
    return response;
  }

  @Operation(name = "$process-message", idempotent = false)
  public Bundle processMessage(@OperationParam(name = "content", min = 1, max = 1) Bundle message) {
    if (message.getType() != Bundle.BundleType.MESSAGE
        || message.getEntry().isEmpty()
        || !(message.getEntryFirstRep().getResource() instanceof MessageHeader header)) {
      throw new InvalidRequestException(
          "$process-message takes a message Bundle whose first entry is a MessageHeader");
    }
    if (!message.getIdentifier().hasValue()) {
      throw new InvalidRequestException(
          "The message Bundle needs an identifier, so a replay can be recognised");
    }
    String messageKey =
        message.getIdentifier().getSystem() + "|" + message.getIdentifier().getValue();
    synchronized (store) {
      Bundle earlier = processedMessages.get(messageKey);
      if (earlier != null) {
        return earlier.copy();
      }
      List<RecipientWrites.Write> entries = new ArrayList<>();
      for (Bundle.BundleEntryComponent entry : message.getEntry()) {
        entries.add(messageWrite(entry));
      }
      writes.apply(entries);
      Bundle response = response(message, header);
      processedMessages.put(messageKey, response);
      return response.copy();
    }
  }

  private RecipientWrites.Write write(Bundle.BundleEntryComponent entry) {
    Resource resource = entry.getResource();
    Bundle.BundleEntryRequestComponent request = entry.getRequest();
    if (resource == null || !request.hasMethod() || !request.hasUrl()) {
      throw new InvalidRequestException("Each transaction entry needs a resource and a request");
    }
    String url = request.getUrl();
    String type = resource.fhirType();
    if (!url.equals(type) && !url.startsWith(type + "/") && !url.startsWith(type + "?")) {
      throw new InvalidRequestException(
          "Entry " + entry.getFullUrl() + ": request URL " + url + " does not match a " + type);
    }
    return switch (request.getMethod()) {
      case POST ->
          request.hasIfNoneExist()
              ? new RecipientWrites.Write(
                  resource,
                  entry.getFullUrl(),
                  RecipientWrites.Kind.CREATE_IF_NONE_EXIST,
                  RecipientResourceProvider.query(request.getIfNoneExist()))
              : new RecipientWrites.Write(
                  resource, entry.getFullUrl(), RecipientWrites.Kind.CREATE, null);
      case PUT ->
          url.contains("?")
              ? new RecipientWrites.Write(
                  resource,
                  entry.getFullUrl(),
                  RecipientWrites.Kind.UPDATE_CONDITIONAL,
                  RecipientResourceProvider.query(url))
              : new RecipientWrites.Write(
                  resource,
                  entry.getFullUrl(),
                  RecipientWrites.Kind.UPDATE,
                  url.substring(type.length() + 1));
      default ->
          throw new InvalidRequestException(
              "The sandbox recipient accepts POST and PUT in a transaction, not "
                  + request.getMethod());
    };
  }

  private RecipientWrites.Write messageWrite(Bundle.BundleEntryComponent entry) {
    Resource resource = entry.getResource();
    if (resource == null) {
      throw new InvalidRequestException("Message entry " + entry.getFullUrl() + " has no resource");
    }
    Identifier identifier =
        store.identifiers(resource).stream()
            .filter(i -> i.hasSystem() && i.hasValue())
            .findFirst()
            .orElse(null);
    if (identifier == null) {
      return new RecipientWrites.Write(
          resource, entry.getFullUrl(), RecipientWrites.Kind.CREATE, null);
    }
    String query =
        "identifier="
            + UrlUtil.escapeUrlParam(identifier.getSystem() + "|" + identifier.getValue());
    // A document is immutable: stored once. Anything else is the sender's current version.
    RecipientWrites.Kind kind =
        resource instanceof Bundle
            ? RecipientWrites.Kind.CREATE_IF_NONE_EXIST
            : RecipientWrites.Kind.UPDATE_CONDITIONAL;
    return new RecipientWrites.Write(resource, entry.getFullUrl(), kind, query);
  }

  private static Bundle response(Bundle message, MessageHeader request) {
    MessageHeader header = new MessageHeader();
    header.setId(UUID.randomUUID().toString());
    header.setEvent(request.getEvent());
    header.setSource(
        new MessageHeader.MessageSourceComponent()
            .setEndpoint(
                request.getDestinationFirstRep().hasEndpoint()
                    ? request.getDestinationFirstRep().getEndpoint()
                    : "urn:secondlook:sandbox-recipient"));
    header.getResponse().setIdentifier(idOf(request)).setCode(MessageHeader.ResponseType.OK);
    header.addFocus(new Reference().setIdentifier(message.getIdentifier().copy()));
    Bundle response = new Bundle().setType(Bundle.BundleType.MESSAGE).setTimestamp(new Date());
    response.setIdentifier(
        new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + UUID.randomUUID()));
    response.addEntry().setFullUrl("urn:uuid:" + header.getIdPart()).setResource(header);
    return response;
  }

  private static String idOf(MessageHeader header) {
    String id = header.getIdElement().getIdPart();
    return id != null && id.startsWith("urn:uuid:") ? id.substring("urn:uuid:".length()) : id;
  }
}
