package health.secondlook.server.security;

import static health.secondlook.server.security.CallerRole.AUDITOR;
import static health.secondlook.server.security.CallerRole.OPERATOR;
import static health.secondlook.server.security.CallerRole.RECIPIENT;
import static health.secondlook.server.security.CallerRole.REFERRER;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceAccessDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.springframework.stereotype.Component;

/**
 * Decides, inside the FHIR server, what each caller of SecondLook's API may do, so the decision
 * holds for every kind of request: reads, searches and what they {@code _include} or {@code
 * _revinclude}, history, {@code $everything}, paging, transactions and batches, Subscriptions and
 * SecondLook's own operations.
 *
 * <p>First the token's SMART scopes must allow the kind of access to the resource type. Then the
 * party rules: a referring organisation sees only its own referrals and what was pulled or made for
 * them; a receiving organisation only the Tasks addressed to it and what they hand over (see {@link
 * PartyLabels}); only the Task's owner changes its status or submits a review; only the referrer
 * withdraws; an auditor reads AuditEvents and nothing else; records change only through
 * SecondLook's operations, except a Task's workflow status and a caller's own Subscriptions.
 * Transactions, batches and server-wide searches and history are for operators. A record a caller
 * may not see is left out of results, and asking for it by id is a 403 whether or not it exists.
 */
@Component
@Interceptor
class FhirAccessRules {

  private static final Set<TaskStatus> WITHDRAWALS =
      EnumSet.of(TaskStatus.CANCELLED, TaskStatus.ENTEREDINERROR);

  private final RecordVisibility records;
  private final CallerDirectory directory;
  private final FhirContext fhir;

  FhirAccessRules(
      RestfulServer fhirRestfulServer, RecordVisibility records, CallerDirectory directory) {
    this.records = records;
    this.directory = directory;
    this.fhir = fhirRestfulServer.getFhirContext();
    fhirRestfulServer.registerInterceptor(this);
  }

  @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
  void checkRequest(RequestDetails request, RestOperationTypeEnum operation) {
    if (operation == RestOperationTypeEnum.METADATA) {
      return;
    }
    Caller caller =
        CallerAuthentication.current()
            .orElseThrow(() -> new AuthenticationException("This request needs a bearer token"));
    if (caller.role().isEmpty()) {
      throw new ForbiddenOperationException(
          "The token is valid, but its client '"
              + caller.client()
              + "' is not one of an organisation SecondLook knows"
              + " (secondlook.security.organizations)");
    }
    String type = request.getResourceName();
    ScopeCheck.check(caller, request, operation, type);
    if (caller.is(OPERATOR)) {
      return;
    }
    if (caller.is(AUDITOR)) {
      checkAuditor(operation, type, request);
      return;
    }
    checkParty(caller, request, operation, type);
  }

  private static void checkAuditor(
      RestOperationTypeEnum operation, String type, RequestDetails request) {
    boolean readable = "AuditEvent".equals(type) || RecordVisibility.shared(type);
    boolean allowed =
        switch (operation) {
          case READ, VREAD, SEARCH_TYPE, HISTORY_INSTANCE -> readable;
          case GET_PAGE -> true;
          case EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_INSTANCE, EXTENDED_OPERATION_SERVER ->
              ScopeCheck.isTerminology(request.getOperation());
          default -> false;
        };
    if (!allowed) {
      throw new ForbiddenOperationException("An auditor reads the audit trail and nothing else");
    }
  }

  private void checkParty(
      Caller caller, RequestDetails request, RestOperationTypeEnum operation, String type) {
    if ("AuditEvent".equals(type)) {
      throw new ForbiddenOperationException("The audit trail is for auditors");
    }
    switch (operation) {
      case READ, VREAD, GET_PAGE -> {
        // left to the access check of what is returned
      }
      case HISTORY_INSTANCE -> records.requireVisible(caller, request.getId());
      case SEARCH_TYPE -> {
        if (!RecordVisibility.shared(type)) {
          ScopeCheck.addSearchParameters(request, "_security=" + RecordVisibility.label(caller));
        }
      }
      case CREATE -> {
        if (!"Subscription".equals(type)) {
          throw forbiddenWrite();
        }
      }
      case UPDATE, PATCH -> {
        if (!"Task".equals(type) && !"Subscription".equals(type)) {
          throw forbiddenWrite();
        }
        records.requireVisible(caller, request.getId());
      }
      case DELETE -> {
        if (!"Subscription".equals(type)) {
          throw forbiddenWrite();
        }
        records.requireVisible(caller, request.getId());
      }
      case EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_INSTANCE, EXTENDED_OPERATION_SERVER ->
          checkOperation(caller, request, operation);
      default ->
          throw new ForbiddenOperationException(
              operation.getCode() + " is for SecondLook's operators");
    }
  }

  private void checkOperation(Caller caller, RequestDetails request, RestOperationTypeEnum type) {
    String name = request.getOperation();
    if (ScopeCheck.isTerminology(name)) {
      return;
    }
    ScopeCheck.OperationRule rule = ScopeCheck.rule(name);
    if (rule == null || !rule.roles().contains(caller.role().orElseThrow())) {
      throw new ForbiddenOperationException(
          name + " is not for a " + caller.role().orElseThrow().name().toLowerCase());
    }
    boolean onInstance = type == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE;
    if (rule.onInstanceOnly() && !onInstance) {
      throw new ForbiddenOperationException(name + " is called on one resource, by id");
    }
    if (onInstance) {
      records.requireVisible(caller, request.getId());
    }
    if ("$request-second-opinion".equals(name)) {
      checkReferralSource(caller, request);
    }
  }

  /** A referrer refers its own EHR's patients, and a patient-level token only its patient. */
  private void checkReferralSource(Caller caller, RequestDetails request) {
    Parameters parameters = body(request);
    String source = value(parameters, "source");
    if (source != null && !source.equals(caller.org())) {
      throw new ForbiddenOperationException(
          "A referrer refers its own patients: source must be '" + caller.org() + "'");
    }
    if (caller.scopes().onlyForPatient("ServiceRequest", 'c')) {
      String patient = value(parameters, "patient");
      if (caller.patient().isEmpty() || !caller.patient().get().equals(patient)) {
        throw new ForbiddenOperationException(
            "The token is for one patient: patient must be the one in its launch context");
      }
    }
  }

  /** Hides each record the caller may not see: from searches, includes, history and pages. */
  @Hook(Pointcut.STORAGE_PREACCESS_RESOURCES)
  void filterReturned(IPreResourceAccessDetails details, RequestDetails request) {
    if (!(request instanceof ServletRequestDetails)) {
      return;
    }
    Optional<Caller> caller = CallerAuthentication.current();
    if (caller.isEmpty()) {
      return;
    }
    // A read of a hidden record becomes "not found", which hideExistence answers as a 403.
    for (int i = 0; i < details.size(); i++) {
      IBaseResource resource = details.getResource(i);
      if (resource != null && !records.visible(caller.get(), resource, request)) {
        details.setDontReturnResourceAtIndex(i);
      }
    }
  }

  /**
   * A party asking for a record by id learns nothing about whether it exists: "not found" and "not
   * yours" are the same 403.
   */
  @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
  BaseServerResponseException hideExistence(RequestDetails request, Throwable problem) {
    if ((problem instanceof ResourceNotFoundException || problem instanceof ResourceGoneException)
        && request != null
        && request.getId() != null
        && request.getId().hasIdPart()
        && CallerAuthentication.current()
            .filter(c -> !c.is(OPERATOR))
            .filter(c -> !RecordVisibility.shared(request.getResourceName()))
            .isPresent()) {
      return RecordVisibility.notAvailable(request.getId());
    }
    return null;
  }

  /**
   * Status changes and Subscriptions, however they arrive (PUT, PATCH). Who may change a Task is
   * decided before whether the change itself is allowed, so a refusal reveals nothing of the Task.
   */
  @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = -100)
  void checkUpdate(IBaseResource previous, IBaseResource updated, RequestDetails request) {
    Optional<Caller> party = party(request);
    if (party.isEmpty()) {
      return;
    }
    Caller caller = party.get();
    if (!records.visible(caller, previous, request)) {
      throw RecordVisibility.notAvailable(previous.getIdElement());
    }
    if (previous instanceof Task stored
        && updated instanceof Task changed
        && stored.getStatus() != changed.getStatus()) {
      boolean withdrawal = WITHDRAWALS.contains(changed.getStatus());
      String system = withdrawal ? PartyLabels.REFERRER_SYSTEM : PartyLabels.RECIPIENT_SYSTEM;
      if (!PartyLabels.carries(stored, system, caller.org())
          || caller.is(withdrawal ? RECIPIENT : REFERRER)) {
        throw new ForbiddenOperationException(
            withdrawal
                ? "Only the referring organisation may withdraw the referral"
                : "Only the organisation the referral is addressed to (the Task's owner) may"
                    + " change its status");
      }
    }
    if (updated instanceof Subscription subscription) {
      checkSubscription(caller, subscription);
    }
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  void checkCreate(IBaseResource created, RequestDetails request) {
    Optional<Caller> party = party(request);
    if (party.isPresent() && created instanceof Subscription subscription) {
      checkSubscription(party.get(), subscription);
    }
  }

  /**
   * A party's Subscription notifies only an endpoint registered for it, and only of its own
   * records: its criteria are narrowed to its label.
   */
  private void checkSubscription(Caller caller, Subscription subscription) {
    String endpoint = subscription.getChannel().getEndpoint();
    List<String> registered =
        directory
            .organization(caller.org())
            .map(AccessProperties.Organization::notificationEndpoints)
            .orElse(List.of());
    boolean allowed =
        endpoint != null
            && registered.stream()
                .anyMatch(r -> r.endsWith("/") ? endpoint.startsWith(r) : endpoint.equals(r));
    if (!allowed) {
      throw new ForbiddenOperationException(
          "Subscription.channel.endpoint '"
              + endpoint
              + "' is not registered for "
              + caller.org()
              + " (secondlook.security.organizations."
              + caller.org()
              + ".notification-endpoints)");
    }
    String criteria = subscription.getCriteria();
    String label = "_security=" + RecordVisibility.label(caller);
    if (criteria != null && !criteria.contains(label)) {
      subscription.setCriteria(criteria + (criteria.contains("?") ? "&" : "?") + label);
    }
  }

  /** The caller, when it is a party (not an operator) calling over HTTP. */
  private static Optional<Caller> party(RequestDetails request) {
    if (!(request instanceof ServletRequestDetails)) {
      return Optional.empty();
    }
    return CallerAuthentication.current().filter(c -> c.is(REFERRER) || c.is(RECIPIENT));
  }

  private static ForbiddenOperationException forbiddenWrite() {
    return new ForbiddenOperationException(
        "SecondLook's records change through its operations ($request-second-opinion,"
            + " $submit-review…); a referrer or recipient may update only a referral Task's"
            + " status and its own Subscriptions");
  }

  private Parameters body(RequestDetails request) {
    if (!(request instanceof ServletRequestDetails servlet)) {
      return new Parameters();
    }
    byte[] content = servlet.loadRequestContents();
    if (content == null || content.length == 0) {
      return new Parameters();
    }
    String text = new String(content, StandardCharsets.UTF_8);
    EncodingEnum encoding = EncodingEnum.detectEncodingNoDefault(text);
    try {
      IBaseResource parsed =
          (encoding == null ? EncodingEnum.JSON : encoding).newParser(fhir).parseResource(text);
      return parsed instanceof Parameters p ? p : new Parameters();
    } catch (DataFormatException e) {
      // the operation itself answers with what is wrong with its body
      return new Parameters();
    }
  }

  private static String value(Parameters parameters, String name) {
    return parameters.getParameter().stream()
        .filter(p -> name.equals(p.getName()) && p.hasValue())
        .map(p -> p.getValue().primitiveValue())
        .findFirst()
        .orElse(null);
  }
}
