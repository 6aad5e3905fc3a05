package health.secondlook.server.audit;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.Date;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

/**
 * SecondLook's audit trail: one AuditEvent, in the shape of IHE Basic Audit Log Patterns (who,
 * what, when, from where, and the outcome), for each access to patient data through the API, each
 * access refused, and each step that moves a referral's records (pull, signature, delivery,
 * write-back). Each is stored before the access it records is answered, or as the step ends, so a
 * crash or a restart loses none that anyone was told about.
 */
@Component
public class AuditTrail {

  /**
   * The records an event is about are named by identifier, not by reference: the trail must not
   * stop a record from being deleted, nor need the record to exist (a refused read of nothing).
   * Each entity's {@code name} is the record's reference too, so {@code
   * AuditEvent?entity-name:exact=Task/12} finds every event about Task/12.
   */
  public static final String ENTITY_SYSTEM = "https://secondlook.health/fhir/audit-entity";

  public static final String ACTIVITY_SYSTEM =
      "https://secondlook.health/fhir/CodeSystem/audit-activity";
  private static final String EVENT_TYPE_SYSTEM =
      "http://terminology.hl7.org/CodeSystem/audit-event-type";
  private static final String INTERACTION_SYSTEM = "http://hl7.org/fhir/restful-interaction";
  private static final String OBJECT_ROLE_SYSTEM =
      "http://terminology.hl7.org/CodeSystem/object-role";
  private static final String SOURCE_TYPE_SYSTEM =
      "http://terminology.hl7.org/CodeSystem/security-source-type";

  /** Who did it: an organisation's user or system, as its token named them. */
  public record Actor(String organization, String client, String subject, String address) {}

  private final IFhirResourceDao<AuditEvent> events;
  private final Clock clock;

  AuditTrail(DaoRegistry daos) {
    this.events = daos.getResourceDao(AuditEvent.class);
    this.clock = Clock.systemUTC();
  }

  /**
   * A REST interaction with SecondLook's FHIR API.
   *
   * @param interaction its FHIR name: read, vread, search-type, history-instance, operation…
   * @param what the resources it was about, e.g. {@code Task/12}
   * @param patients the patients whose data it touched
   * @param query the search, for a search
   * @param refusal why it was refused, or null if it was answered
   */
  public void access(
      Actor actor,
      String interaction,
      Collection<String> what,
      Collection<String> patients,
      String query,
      String refusal) {
    AuditEvent event = event(actor, refusal);
    event.setType(new Coding(EVENT_TYPE_SYSTEM, "rest", "RESTful Operation"));
    event.addSubtype(new Coding(INTERACTION_SYSTEM, interaction, null));
    event.setAction(
        interaction.startsWith("create")
            ? AuditEventAction.C
            : interaction.startsWith("update") || interaction.startsWith("patch")
                ? AuditEventAction.U
                : interaction.startsWith("delete")
                    ? AuditEventAction.D
                    : interaction.startsWith("operation")
                        ? AuditEventAction.E
                        : AuditEventAction.R);
    what.forEach(
        w -> event.addEntity().setWhat(entity(w)).setName(w).setRole(role("4", "Domain Resource")));
    patients.forEach(
        p -> event.addEntity().setWhat(entity(p)).setName(p).setRole(role("1", "Patient")));
    if (query != null) {
      event
          .addEntity()
          .setRole(role("24", "Query"))
          .setQuery(query.getBytes(StandardCharsets.UTF_8));
    }
    events.create(event, new SystemRequestDetails());
  }

  /**
   * A step of a referral that moved its records.
   *
   * @param activity pull, sign, deliver, write-back or information-request
   * @param task the referral's Task, e.g. {@code Task/12}
   * @param party the EHR or recipient on the other side, by its configured name
   * @param failure why it failed, or null if it succeeded
   */
  public void step(String activity, String task, String party, String failure) {
    AuditEvent event = event(new Actor("secondlook", "secondlook", "secondlook", null), failure);
    event.setType(new Coding(ACTIVITY_SYSTEM, activity, null));
    event.setAction(AuditEventAction.E);
    if (failure != null) {
      event.setOutcome(AuditEventOutcome._8);
    }
    event.addEntity().setWhat(entity(task)).setName(task).setRole(role("4", "Domain Resource"));
    if (party != null) {
      event
          .addAgent()
          .setRequestor(false)
          .setWho(
              new Reference()
                  .setIdentifier(
                      new Identifier().setSystem(ACTIVITY_SYSTEM + "/party").setValue(party)));
    }
    events.create(event, new SystemRequestDetails());
  }

  private AuditEvent event(Actor actor, String failure) {
    AuditEvent event = new AuditEvent();
    event.setRecorded(Date.from(clock.instant()));
    event.setOutcome(failure == null ? AuditEventOutcome._0 : AuditEventOutcome._4);
    if (failure != null) {
      event.setOutcomeDesc(failure);
    }
    AuditEvent.AuditEventAgentComponent agent =
        event
            .addAgent()
            .setRequestor(true)
            .setWho(
                new Reference()
                    .setIdentifier(
                        new Identifier()
                            .setSystem(ACTIVITY_SYSTEM + "/client")
                            .setValue(actor.client()))
                    .setDisplay(actor.organization()))
            .setAltId(actor.subject());
    if (actor.address() != null) {
      agent
          .getNetwork()
          .setAddress(actor.address())
          .setType(AuditEvent.AuditEventAgentNetworkType._2);
    }
    event
        .getSource()
        .setSite("SecondLook")
        .setObserver(new Reference().setDisplay("SecondLook FHIR server"))
        .addType(new Coding(SOURCE_TYPE_SYSTEM, "4", "Application Server"));
    return event;
  }

  private static Reference entity(String reference) {
    return new Reference()
        .setIdentifier(new Identifier().setSystem(ENTITY_SYSTEM).setValue(reference))
        .setDisplay(reference);
  }

  private static Coding role(String code, String display) {
    return new Coding(OBJECT_ROLE_SYSTEM, code, display);
  }
}
