package health.secondlook.server.security;

import static health.secondlook.server.security.CallerRole.AUDITOR;
import static health.secondlook.server.security.CallerRole.OPERATOR;
import static health.secondlook.server.security.CallerRole.RECIPIENT;
import static health.secondlook.server.security.CallerRole.REFERRER;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.matcher.SearchParamMatcher;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceAccessDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
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

  /** Definitions every known caller may read: not anybody's records. */
  private static final Set<String> SHARED_TYPES =
      Set.of(
          "CodeSystem",
          "ValueSet",
          "ConceptMap",
          "Questionnaire",
          "StructureDefinition",
          "SearchParameter",
          "OperationDefinition",
          "NamingSystem",
          "CapabilityStatement",
          "ImplementationGuide");

  private static final Set<String> TERMINOLOGY_OPERATIONS =
      Set.of("$lookup", "$translate", "$expand", "$validate-code", "$subsumes");

  /** What a party may call besides plain reads; everything else is for operators. */
  private record OperationRule(char permission, Set<CallerRole> roles, boolean onInstanceOnly) {}

  private static final Map<String, OperationRule> OPERATIONS =
      Map.of(
          "$request-second-opinion", new OperationRule('c', EnumSet.of(REFERRER), false),
          "$proceed", new OperationRule('u', EnumSet.of(REFERRER), true),
          "$rerun-pull", new OperationRule('u', EnumSet.of(REFERRER), true),
          "$submit-review", new OperationRule('u', EnumSet.of(RECIPIENT), true),
          "$request-information", new OperationRule('u', EnumSet.of(RECIPIENT), true),
          "$verify-signature", new OperationRule('r', EnumSet.of(REFERRER, RECIPIENT), false),
          "$everything", new OperationRule('r', EnumSet.of(REFERRER), true));

  private static final Set<TaskStatus> WITHDRAWALS =
      EnumSet.of(TaskStatus.CANCELLED, TaskStatus.ENTEREDINERROR);

  private final DaoRegistry daos;
  private final SearchParamMatcher matcher;
  private final CallerDirectory directory;
  private final FhirContext fhir;

  FhirAccessRules(
      RestfulServer fhirRestfulServer,
      DaoRegistry daos,
      SearchParamMatcher matcher,
      CallerDirectory directory) {
    this.daos = daos;
    this.matcher = matcher;
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
    checkScopes(caller, request, operation, type);
    if (caller.is(OPERATOR)) {
      return;
    }
    if (caller.is(AUDITOR)) {
      checkAuditor(operation, type, request);
      return;
    }
    checkParty(caller, request, operation, type);
  }

  private void checkScopes(
      Caller caller, RequestDetails request, RestOperationTypeEnum operation, String type) {
    String scopeType = type == null ? "*" : type;
    String needed =
        switch (operation) {
          case READ, VREAD, HISTORY_INSTANCE -> "r";
          case SEARCH_TYPE, HISTORY_TYPE -> "s";
          case CREATE -> "c";
          case UPDATE, PATCH -> "u";
          case DELETE -> "d";
          case GET_PAGE -> "";
          case EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_INSTANCE, EXTENDED_OPERATION_SERVER -> {
            String name = request.getOperation();
            if (TERMINOLOGY_OPERATIONS.contains(name)) {
              yield "r";
            }
            OperationRule rule = OPERATIONS.get(name);
            yield rule == null ? "cruds" : String.valueOf(rule.permission());
          }
          default -> "cruds";
        };
    for (char permission : needed.toCharArray()) {
      if (!caller.scopes().permits(scopeType, permission)) {
        throw new ForbiddenOperationException(
            "The token's scopes do not allow this request: it needs '"
                + permission
                + "' on "
                + scopeType
                + " (e.g. the SMART scope system/"
                + scopeType
                + "."
                + needed
                + ")");
      }
    }
    if (operation == RestOperationTypeEnum.SEARCH_TYPE) {
      List<String> restrictions = caller.scopes().restrictions(type, 's');
      if (restrictions.size() == 1) {
        addSearchParameters(request, restrictions.get(0));
      }
    }
  }

  private static void checkAuditor(
      RestOperationTypeEnum operation, String type, RequestDetails request) {
    boolean readable = "AuditEvent".equals(type) || shared(type);
    boolean allowed =
        switch (operation) {
          case READ, VREAD, SEARCH_TYPE, HISTORY_INSTANCE -> readable;
          case GET_PAGE -> true;
          case EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_INSTANCE, EXTENDED_OPERATION_SERVER ->
              TERMINOLOGY_OPERATIONS.contains(request.getOperation());
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
      case HISTORY_INSTANCE -> requireVisible(caller, request.getId());
      case SEARCH_TYPE -> {
        if (!shared(type)) {
          addSearchParameters(request, "_security=" + label(caller));
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
        requireVisible(caller, request.getId());
      }
      case DELETE -> {
        if (!"Subscription".equals(type)) {
          throw forbiddenWrite();
        }
        requireVisible(caller, request.getId());
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
    if (TERMINOLOGY_OPERATIONS.contains(name)) {
      return;
    }
    OperationRule rule = OPERATIONS.get(name);
    if (rule == null || !rule.roles().contains(caller.role().orElseThrow())) {
      throw new ForbiddenOperationException(
          name + " is not for a " + caller.role().orElseThrow().name().toLowerCase());
    }
    boolean onInstance = type == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE;
    if (rule.onInstanceOnly() && !onInstance) {
      throw new ForbiddenOperationException(name + " is called on one resource, by id");
    }
    if (onInstance) {
      requireVisible(caller, request.getId());
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
      if (resource != null && !visible(caller.get(), resource, request)) {
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
            .filter(c -> !shared(request.getResourceName()))
            .isPresent()) {
      return notAvailable(request.getId());
    }
    return problem instanceof BaseServerResponseException b ? b : null;
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
    if (!visible(caller, previous, request)) {
      throw notAvailable(previous.getIdElement());
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
    String label = "_security=" + label(caller);
    if (criteria != null && !criteria.contains(label)) {
      subscription.setCriteria(criteria + (criteria.contains("?") ? "&" : "?") + label);
    }
  }

  private static boolean shared(String type) {
    return type != null && SHARED_TYPES.contains(type);
  }

  private boolean visible(Caller caller, IBaseResource resource, RequestDetails request) {
    String type = fhir.getResourceType(resource);
    if (!caller.is(OPERATOR)) {
      if ("AuditEvent".equals(type)) {
        return caller.is(AUDITOR);
      }
      if (caller.is(AUDITOR)) {
        return shared(type);
      }
      if (!shared(type)) {
        if (!PartyLabels.carries(resource, labelSystem(caller), caller.org())) {
          return false;
        }
        if (caller.scopes().onlyForPatient(type, 'r') && !inPatientCompartment(caller, resource)) {
          return false;
        }
      }
    }
    List<String> restrictions = caller.scopes().restrictions(type, 'r');
    return restrictions.isEmpty()
        || restrictions.stream()
            .anyMatch(q -> matcher.match(type + "?" + q, resource, request).matched());
  }

  /** With {@code patient/} scopes only: the record is the launch patient's. */
  private boolean inPatientCompartment(Caller caller, IBaseResource resource) {
    if (caller.patient().isEmpty()) {
      return false;
    }
    ca.uhn.fhir.jpa.searchparam.SearchParameterMap byIdentifier =
        ca.uhn.fhir.jpa.searchparam.SearchParameterMap.newSynchronous(
            "identifier",
            new ca.uhn.fhir.rest.param.TokenParam(
                "https://secondlook.health/fhir/ehr/" + caller.org() + "/Patient",
                caller.patient().get()));
    return daos
        .getResourceDao("Patient")
        .search(byIdentifier, new SystemRequestDetails())
        .getResources(0, 10)
        .stream()
        .anyMatch(
            p ->
                fhir.newTerser()
                    .isSourceInCompartmentForTarget(
                        "Patient", resource, p.getIdElement().toUnqualifiedVersionless()));
  }

  private void requireVisible(Caller caller, IIdType id) {
    if (id == null || !id.hasIdPart()) {
      return;
    }
    IBaseResource stored;
    try {
      stored =
          daos.getResourceDao(id.getResourceType())
              .read(id.toUnqualifiedVersionless(), new SystemRequestDetails());
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      throw notAvailable(id);
    }
    if (!visible(caller, stored, new SystemRequestDetails())) {
      throw notAvailable(id);
    }
  }

  /** The caller, when it is a party (not an operator) calling over HTTP. */
  private static Optional<Caller> party(RequestDetails request) {
    if (!(request instanceof ServletRequestDetails)) {
      return Optional.empty();
    }
    return CallerAuthentication.current().filter(c -> c.is(REFERRER) || c.is(RECIPIENT));
  }

  private static String labelSystem(Caller caller) {
    return caller.is(REFERRER) ? PartyLabels.REFERRER_SYSTEM : PartyLabels.RECIPIENT_SYSTEM;
  }

  private static String label(Caller caller) {
    return labelSystem(caller) + "|" + caller.org();
  }

  private static ForbiddenOperationException notAvailable(IIdType id) {
    return new ForbiddenOperationException(
        id.getResourceType()
            + "/"
            + id.getIdPart()
            + " is not available to you: it does not exist, or it is not your organisation's");
  }

  private static ForbiddenOperationException forbiddenWrite() {
    return new ForbiddenOperationException(
        "SecondLook's records change through its operations ($request-second-opinion,"
            + " $submit-review…); a referrer or recipient may update only a referral Task's"
            + " status and its own Subscriptions");
  }

  /** ANDs a {@code name=value&…} query onto the search the caller asked for. */
  private static void addSearchParameters(RequestDetails request, String query) {
    Map<String, String[]> parameters = new HashMap<>(request.getParameters());
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String name = java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      parameters.merge(
          name,
          new String[] {value},
          (a, b) -> Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new));
    }
    request.setParameters(parameters);
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
