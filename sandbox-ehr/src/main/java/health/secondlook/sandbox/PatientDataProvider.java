package health.secondlook.sandbox;

import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * A resource type in the patient compartment, keyed by its {@code subject} ({@code for} on a Task):
 * searched the way a pull asks a US Core server, by {@code patient} or {@code subject} (as {@code
 * Patient/x} or {@code x}), optionally narrowed by {@code _id}, {@code identifier} and by {@code
 * category}, {@code code} or {@code type} tokens; a write-back finds what it wrote by {@code
 * identifier} alone. A token parameter the type has no element for is refused with 400, as a real
 * server refuses an unknown search parameter, instead of being ignored and widening the result.
 */
public class PatientDataProvider<T extends Resource> extends InMemoryResourceProvider<T> {

  private static final List<String> TOKEN_ELEMENTS = List.of("category", "code", "type");

  /** The token parameters this type supports: those naming one of its elements. */
  private final Set<String> tokenElements;

  /** The element naming the patient: {@code subject}, or {@code for} on a Task. */
  private final String subjectElement;

  public PatientDataProvider(Class<T> type) {
    this(type, "subject");
  }

  public PatientDataProvider(Class<T> type, String subjectElement) {
    super(type);
    this.subjectElement = subjectElement;
    Resource blank = instantiate(type);
    this.tokenElements =
        TOKEN_ELEMENTS.stream()
            .filter(name -> blank.getNamedProperty(name) != null)
            .collect(Collectors.toUnmodifiableSet());
  }

  @Search
  public List<T> search(
      @OptionalParam(name = "_id") TokenOrListParam ids,
      @OptionalParam(name = "identifier") TokenOrListParam identifier,
      @OptionalParam(name = "patient", targetTypes = Patient.class) ReferenceOrListParam patient,
      @OptionalParam(name = "subject") ReferenceOrListParam subject,
      @OptionalParam(name = "category") TokenOrListParam category,
      @OptionalParam(name = "code") TokenOrListParam code,
      @OptionalParam(name = "type") TokenOrListParam type) {
    Map<String, TokenOrListParam> tokens = new LinkedHashMap<>();
    tokens.put("category", category);
    tokens.put("code", code);
    tokens.put("type", type);
    tokens.values().removeIf(Objects::isNull);
    tokens.forEach(this::requireSupported);
    requireUnchained(patient);
    requireUnchained(subject);
    return matching(
        resource ->
            hasId(resource, ids)
                && (identifier == null || IdentifierCondition.hasIdentifier(resource, identifier))
                && refersTo(resource, patient, "Patient")
                && refersTo(resource, subject, null)
                && tokens.entrySet().stream()
                    .allMatch(token -> hasCoding(resource, token.getKey(), token.getValue())));
  }

  /** This type's resources about one patient, for {@code Patient/$everything}. */
  List<T> forPatient(String patientId) {
    ReferenceOrListParam patient = new ReferenceOrListParam().add(new ReferenceParam(patientId));
    return matching(resource -> refersTo(resource, patient, "Patient"));
  }

  private void requireSupported(String name, TokenOrListParam tokens) {
    if (!tokenElements.contains(name)) {
      throw new InvalidRequestException(
          "Search parameter '"
              + name
              + "' is not supported for "
              + getResourceType().getSimpleName());
    }
    for (TokenParam token : tokens.getValuesAsQueryTokens()) {
      if (token.getModifier() != null) {
        throw new InvalidRequestException(
            "Modifier :" + token.getModifier().getValue() + " is not supported on " + name);
      }
    }
  }

  private static void requireUnchained(ReferenceOrListParam references) {
    if (references != null
        && references.getValuesAsQueryTokens().stream().anyMatch(ref -> ref.getChain() != null)) {
      throw new InvalidRequestException("Chained reference searches are not supported");
    }
  }

  /**
   * Whether the subject is one of the wanted references; a bare id matches any type unless the
   * parameter implies one ({@code patient} implies Patient).
   */
  private boolean refersTo(Resource resource, ReferenceOrListParam wanted, String impliedType) {
    if (wanted == null) {
      return true;
    }
    List<Base> subjects = resource.getNamedProperty(subjectElement).getValues();
    if (subjects.isEmpty() || !(subjects.get(0) instanceof Reference subject)) {
      return false;
    }
    IdType target = new IdType(subject.getReference());
    return wanted.getValuesAsQueryTokens().stream()
        .anyMatch(
            ref -> {
              String type = ref.getResourceType() != null ? ref.getResourceType() : impliedType;
              return target.getIdPart() != null
                  && target.getIdPart().equals(ref.getIdPart())
                  && (type == null || type.equals(target.getResourceType()));
            });
  }

  private static boolean hasCoding(Resource resource, String element, TokenOrListParam tokens) {
    Property property = resource.getNamedProperty(element);
    return property.getValues().stream()
        .flatMap(
            value ->
                value instanceof CodeableConcept concept
                    ? concept.getCoding().stream()
                    : value instanceof Coding coding ? Stream.of(coding) : Stream.empty())
        .anyMatch(
            coding -> tokens.getValuesAsQueryTokens().stream().anyMatch(t -> matches(t, coding)));
  }

  /** FHIR token semantics: {@code code}, {@code system|code}, {@code |code} and {@code system|}. */
  private static boolean matches(TokenParam token, Coding coding) {
    String system = token.getSystem();
    boolean systemMatches =
        system == null
            || (system.isEmpty() ? !coding.hasSystem() : system.equals(coding.getSystem()));
    String code = token.getValue();
    return systemMatches && (code == null || code.isEmpty() || code.equals(coding.getCode()));
  }

  private static Resource instantiate(Class<? extends Resource> type) {
    try {
      return type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("cannot instantiate " + type, e);
    }
  }
}
