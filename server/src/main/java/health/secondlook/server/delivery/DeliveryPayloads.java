package health.secondlook.server.delivery;

import static health.secondlook.terminology.TerminologyContent.MESSAGE_EVENT_SYSTEM;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import ca.uhn.fhir.util.UrlUtil;
import health.secondlook.server.referral.ReferralTasks;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * What a delivery sends, per mode: a transaction (the packet, created unless the recipient has a
 * Bundle with its identifier, and the recipient's copy of the referral Task, updated in place by
 * the referral's identifier), a BSeR message (MessageHeader focused on the Task, the Task, the
 * ServiceRequest and the packet; its identifier is the same every time the same packet of the same
 * referral is sent, so the recipient recognises a repeat), or only the Task copy (notify-and-pull).
 *
 * <p>A FHIR server in its default settings refuses a resource that references another server (HAPI
 * JPA: {@code HAPI-0507}), so in a transaction or a notification the recipient's copy of the Task
 * names what stays on SecondLook (focus, for, requester, ...) by logical references: {@code
 * Reference.identifier} {@code urn:ietf:rfc:3986|{SecondLook's URL of it}}, with its type and
 * display. In a message the same references are SecondLook's URLs, which are the message entries'
 * full URLs and so resolve inside it. The {@code packet} output is the packet as sent: the
 * transaction's own entry, the message's entry, or (notify-and-pull) a logical reference whose
 * identifier is the packet's URL on SecondLook. The packet goes out byte for byte as signed.
 */
final class DeliveryPayloads {

  static final String MESSAGE_EVENT = "second-opinion-referral";

  private static final String URI_SYSTEM = "urn:ietf:rfc:3986";
  private static final Pattern RELATIVE = Pattern.compile("^[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}$");
  private static final FhirTerser TERSER = FhirContext.forR4Cached().newTerser();

  private DeliveryPayloads() {}

  /**
   * The request that delivers {@code packet} to the target as configured.
   *
   * @param base SecondLook's FHIR base URL
   */
  static RecipientRequest request(
      Task task, ServiceRequest serviceRequest, Bundle packet, DeliveryTarget target, String base) {
    String taskUrl = base + "/Task/" + task.getIdElement().getIdPart();
    String packetUrl = base + "/Bundle/" + packet.getIdElement().getIdPart();
    RecipientDelivery delivery = target.delivery();
    return switch (delivery.mode()) {
      case PUSH ->
          delivery.pushStyle() == RecipientDelivery.PushStyle.TRANSACTION
              ? new RecipientRequest(
                  target, RecipientRequest.Kind.TRANSACTION, transaction(task, packet, base), null)
              : new RecipientRequest(
                  target,
                  RecipientRequest.Kind.MESSAGE,
                  message(task, serviceRequest, packet, target, base, taskUrl, packetUrl),
                  null);
      case NOTIFY_AND_PULL ->
          new RecipientRequest(
              target,
              RecipientRequest.Kind.UPDATE_TASK,
              recipientCopy(task, onSecondLook("Bundle", packetUrl), base),
              taskCondition(task, base));
      case NONE -> throw new IllegalStateException(target.name() + " has no delivery mode");
    };
  }

  private static Bundle transaction(Task task, Bundle packet, String base) {
    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    String packetEntry = "urn:uuid:" + stableUuid("packet", packet.getIdentifier().getValue());
    transaction
        .addEntry()
        .setFullUrl(packetEntry)
        .setResource(asSent(packet))
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("Bundle")
        .setIfNoneExist("identifier=" + token(packet.getIdentifier()));
    transaction
        .addEntry()
        .setFullUrl("urn:uuid:" + UUID.randomUUID())
        .setResource(recipientCopy(task, new Reference(packetEntry), base))
        .getRequest()
        .setMethod(Bundle.HTTPVerb.PUT)
        .setUrl(taskCondition(task, base));
    return transaction;
  }

  private static Bundle message(
      Task task,
      ServiceRequest serviceRequest,
      Bundle packet,
      DeliveryTarget target,
      String base,
      String taskUrl,
      String packetUrl) {
    String messageId =
        stableUuid(
            MESSAGE_EVENT, task.getIdElement().getIdPart(), packet.getIdentifier().getValue());
    MessageHeader header = new MessageHeader();
    header.setId(messageId);
    header
        .getEventCoding()
        .setSystem(MESSAGE_EVENT_SYSTEM)
        .setCode(MESSAGE_EVENT)
        .setDisplay("Second-opinion referral");
    header
        .addDestination()
        .setName(target.display())
        .setEndpoint(target.delivery().baseUrl().toString());
    header.getSource().setName("SecondLook").setSoftware("SecondLook").setEndpoint(base);
    header.addFocus(new Reference(taskUrl));

    Bundle message = new Bundle().setType(Bundle.BundleType.MESSAGE);
    message.setIdentifier(new Identifier().setSystem(URI_SYSTEM).setValue("urn:uuid:" + messageId));
    message.setTimestamp(new Date());
    message.addEntry().setFullUrl("urn:uuid:" + messageId).setResource(header);
    Task taskCopy = withDelivery(absolute(task, base), new Reference(packetUrl), base, task);
    message.addEntry().setFullUrl(taskUrl).setResource(taskCopy);
    String serviceRequestUrl =
        base + "/ServiceRequest/" + serviceRequest.getIdElement().getIdPart();
    message.addEntry().setFullUrl(serviceRequestUrl).setResource(absolute(serviceRequest, base));
    message.addEntry().setFullUrl(packetUrl).setResource(asSent(packet));
    return message;
  }

  /**
   * The Task as the recipient keeps it in a transaction or a notification: SecondLook's Task with
   * logical references to what stays on SecondLook, its {@code packet} output at {@code packet},
   * delivered (and {@code received}, if it was only {@code requested}), and an identifier naming
   * the Task on SecondLook that the specialist updates.
   */
  static Task recipientCopy(Task task, Reference packet, String base) {
    return withDelivery(logical(task, base), packet, base, task);
  }

  private static Task withDelivery(Task copy, Reference packet, String base, Task task) {
    copy.setStatusReason(null);
    String original = base + "/Task/" + task.getIdElement().getIdPart();
    if (copy.getIdentifier().stream().noneMatch(i -> original.equals(i.getValue()))) {
      copy.addIdentifier().setSystem(URI_SYSTEM).setValue(original);
    }
    if (copy.getStatus() == Task.TaskStatus.REQUESTED) {
      copy.setStatus(Task.TaskStatus.RECEIVED);
    }
    ReferralTasks.setProgress(
        copy, ReferralTasks.DELIVERED, "Delivered by SecondLook; the referral is " + original);
    ReferralTasks.setOutput(copy, ReferralTasks.PACKET_OUTPUT, packet);
    return copy;
  }

  /** A logical reference to a resource on SecondLook, identified by its URL there. */
  static Reference onSecondLook(String type, String url) {
    return new Reference()
        .setType(type)
        .setIdentifier(new Identifier().setSystem(URI_SYSTEM).setValue(url));
  }

  /**
   * {@code Task?identifier=system|value} by the referral's own identifier, which stays the same
   * whatever SecondLook's address.
   */
  static String taskCondition(Task task, String base) {
    Identifier identifier =
        task.getIdentifier().stream()
            .filter(i -> i.hasSystem() && i.hasValue())
            .findFirst()
            .orElseGet(
                () ->
                    new Identifier()
                        .setSystem(URI_SYSTEM)
                        .setValue(base + "/Task/" + task.getIdElement().getIdPart()));
    return "Task?identifier=" + token(identifier);
  }

  /** A copy without id and meta whose relative references point at SecondLook. */
  private static <T extends Resource> T absolute(T resource, String base) {
    T copy = bare(resource);
    for (Reference reference : TERSER.getAllPopulatedChildElementsOfType(copy, Reference.class)) {
      if (reference.hasReference() && RELATIVE.matcher(reference.getReference()).matches()) {
        reference.setReference(base + "/" + reference.getReference());
      }
    }
    return copy;
  }

  /**
   * A copy without id and meta whose relative references become logical references to SecondLook
   * ({@link #onSecondLook}), keeping their display: a server that refuses external references
   * accepts it.
   */
  private static <T extends Resource> T logical(T resource, String base) {
    T copy = bare(resource);
    for (Reference reference : TERSER.getAllPopulatedChildElementsOfType(copy, Reference.class)) {
      if (reference.hasReference() && RELATIVE.matcher(reference.getReference()).matches()) {
        String relative = reference.getReference();
        Reference logical =
            onSecondLook(relative.substring(0, relative.indexOf('/')), base + "/" + relative);
        reference.setReference(null);
        reference.setType(logical.getType());
        reference.setIdentifier(logical.getIdentifier());
      }
    }
    return copy;
  }

  private static <T extends Resource> T bare(T resource) {
    @SuppressWarnings("unchecked")
    T copy = (T) resource.copy();
    copy.setId((String) null);
    copy.setMeta(null);
    TERSER
        .getAllPopulatedChildElementsOfType(copy, Reference.class)
        .forEach(r -> r.setResource(null));
    return copy;
  }

  /**
   * The stored packet as it is sent: without SecondLook's id and meta (neither is signed), and
   * without the links HAPI's parser adds from references to the entries they resolve to, which the
   * encoder would otherwise turn into contained resources inside a signed document.
   */
  private static Bundle asSent(Bundle packet) {
    packet.setId((String) null);
    packet.setMeta(null);
    unlink(packet);
    return packet;
  }

  private static void unlink(Resource resource) {
    TERSER
        .getAllPopulatedChildElementsOfType(resource, Reference.class)
        .forEach(r -> r.setResource(null));
    if (resource instanceof Bundle bundle) {
      bundle.getEntry().stream()
          .map(Bundle.BundleEntryComponent::getResource)
          .filter(Objects::nonNull)
          .forEach(DeliveryPayloads::unlink);
    }
  }

  private static String token(Identifier identifier) {
    return UrlUtil.escapeUrlParam(identifier.getSystem() + "|" + identifier.getValue());
  }

  private static String stableUuid(String... parts) {
    return UUID.nameUUIDFromBytes(String.join("|", parts).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
