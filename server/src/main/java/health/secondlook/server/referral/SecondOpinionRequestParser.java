package health.secondlook.server.referral;

import static org.hl7.fhir.r4.model.OperationOutcome.IssueType.INVALID;
import static org.hl7.fhir.r4.model.OperationOutcome.IssueType.NOTFOUND;
import static org.hl7.fhir.r4.model.OperationOutcome.IssueType.REQUIRED;

import health.secondlook.server.ehr.EhrDirectory;
import health.secondlook.server.fhir.RequestProblems;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestPriority;
import org.hl7.fhir.r4.model.Type;
import org.springframework.stereotype.Component;

/**
 * Reads the {@code $request-second-opinion} Parameters into a {@link SecondOpinionRequest},
 * refusing anything the referral could not be acted on with: an unknown EHR or recipient, a patient
 * id that is not a FHIR id, malformed questions, a due date already past. Which parameters are
 * required is {@link SecondOpinionInputs}'s to say: {@code source}, {@code patient}, {@code reason}
 * and {@code requester}; a referral without the patient's questions or a known treatment start date
 * is still a referral.
 */
@Component
class SecondOpinionRequestParser {

  private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

  private final EhrDirectory ehrs;
  private final RecipientDirectory recipients;
  private final PatientQuestionsValidator questionsValidator;
  private final Clock clock;

  SecondOpinionRequestParser(
      EhrDirectory ehrs,
      RecipientDirectory recipients,
      PatientQuestionsValidator questionsValidator,
      Clock clock) {
    this.ehrs = ehrs;
    this.recipients = recipients;
    this.questionsValidator = questionsValidator;
    this.clock = clock;
  }

  SecondOpinionRequest parse(Parameters parameters) {
    RequestProblems problems = new RequestProblems();
    String source = text(parameters, "source", problems);
    if (source != null && ehrs.find(source).isEmpty()) {
      problems.add(
          NOTFOUND,
          "source",
          "no EHR named '%s' is configured (configured: %s)"
              .formatted(source, String.join(", ", new TreeSet<>(ehrs.names()))));
    }
    String patient = text(parameters, "patient", problems);
    if (patient != null && !FHIR_ID.matcher(patient).matches()) {
      problems.add(INVALID, "patient", "'%s' is not a FHIR resource id".formatted(patient));
    }
    String reason = text(parameters, "reason", problems);
    QuestionnaireResponse questions =
        value(parameters, "questions", QuestionnaireResponse.class, problems);
    if (questions != null) {
      questionsValidator.problems(questions).forEach(p -> problems.add(INVALID, "questions", p));
    }
    ServiceRequestPriority priority = priority(parameters, problems);
    LocalDate startBy = treatmentStartBy(parameters, problems);
    Identifier requester = identifier(parameters, "requester", problems);
    Optional<String> recipient = Optional.ofNullable(text(parameters, "recipient", problems));
    recipient
        .filter(r -> recipients.find(r).isEmpty())
        .ifPresent(
            r ->
                problems.add(
                    NOTFOUND,
                    "recipient",
                    "no receiving organisation named '%s' is configured (configured: %s)"
                        .formatted(r, String.join(", ", new TreeSet<>(recipients.names())))));
    Identifier requestIdentifier = identifier(parameters, "requestIdentifier", problems);
    problems.throwIfAny();
    return new SecondOpinionRequest(
        source,
        patient,
        reason,
        Optional.ofNullable(questions),
        priority,
        Optional.ofNullable(startBy),
        requester,
        recipient,
        Optional.ofNullable(requestIdentifier));
  }

  private ServiceRequestPriority priority(Parameters parameters, RequestProblems problems) {
    String code = text(parameters, "priority", problems);
    if (code == null) {
      return ServiceRequestPriority.ROUTINE;
    }
    try {
      return ServiceRequestPriority.fromCode(code);
    } catch (FHIRException e) {
      problems.add(
          INVALID, "priority", "'%s' is not one of routine, urgent, asap, stat".formatted(code));
      return null;
    }
  }

  private LocalDate treatmentStartBy(Parameters parameters, RequestProblems problems) {
    DateType date = value(parameters, "treatmentStartBy", DateType.class, problems);
    if (date == null) {
      return null;
    }
    LocalDate startBy = LocalDate.of(date.getYear(), date.getMonth() + 1, date.getDay());
    LocalDate today = LocalDate.now(clock.withZone(ZoneId.systemDefault()));
    if (startBy.isBefore(today)) {
      problems.add(
          INVALID,
          "treatmentStartBy",
          "%s is in the past; give the date treatment must start by".formatted(startBy));
    }
    return startBy;
  }

  private Identifier identifier(Parameters parameters, String name, RequestProblems problems) {
    Identifier identifier = value(parameters, name, Identifier.class, problems);
    if (identifier != null && (!identifier.hasSystem() || !identifier.hasValue())) {
      problems.add(INVALID, name, "needs both system and value");
    }
    return identifier;
  }

  private String text(Parameters parameters, String name, RequestProblems problems) {
    Type value = value(parameters, name, Type.class, problems);
    if (value == null) {
      return null;
    }
    if (!value.isPrimitive()
        || value.primitiveValue() == null
        || value.primitiveValue().isBlank()) {
      problems.add(INVALID, name, "must be a non-empty string");
      return null;
    }
    return value.primitiveValue().strip();
  }

  private static <T> T value(
      Parameters parameters, String name, Class<T> type, RequestProblems problems) {
    List<ParametersParameterComponent> matches =
        parameters.getParameter().stream().filter(p -> name.equals(p.getName())).toList();
    if (matches.isEmpty()) {
      if (SecondOpinionInputs.isRequired(name)) {
        problems.add(REQUIRED, name, "is required");
      }
      return null;
    }
    if (matches.size() > 1) {
      problems.add(INVALID, name, "is given %d times; give it once".formatted(matches.size()));
      return null;
    }
    ParametersParameterComponent parameter = matches.get(0);
    Object value = parameter.hasResource() ? parameter.getResource() : parameter.getValue();
    if (!type.isInstance(value)) {
      problems.add(
          INVALID,
          name,
          "must be a %s, not %s"
              .formatted(
                  type.getSimpleName(),
                  value == null ? "empty" : value.getClass().getSimpleName()));
      return null;
    }
    return type.cast(value);
  }
}
