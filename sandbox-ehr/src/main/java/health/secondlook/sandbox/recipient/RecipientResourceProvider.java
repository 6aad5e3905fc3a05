package health.secondlook.sandbox.recipient;

import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * The REST interactions the sandbox recipient offers on one resource type: read, search by {@code
 * identifier} or {@code _id}, create (conditional with {@code If-None-Exist}) and update (by id, or
 * conditional: {@code PUT Task?identifier=system|value}).
 */
final class RecipientResourceProvider<T extends Resource> implements IResourceProvider {

  private final Class<T> type;
  private final RecipientStore store;
  private final RecipientWrites writes;

  RecipientResourceProvider(Class<T> type, RecipientStore store, RecipientWrites writes) {
    this.type = type;
    this.store = store;
    this.writes = writes;
  }

  @Override
  public Class<T> getResourceType() {
    return type;
  }

  @Read
  public T read(@IdParam IdType id) {
    return type.cast(
        store
            .read(typeName(), id.getIdPart())
            .orElseThrow(() -> new ResourceNotFoundException(id)));
  }

  @Search
  public List<T> search(
      @OptionalParam(name = "identifier") TokenParam identifier,
      @OptionalParam(name = "_id") TokenParam id) {
    return store
        .matching(
            typeName(),
            r ->
                (identifier == null
                        || store.hasIdentifier(
                            r,
                            identifier.getSystem() == null
                                ? identifier.getValue()
                                : identifier.getSystem() + "|" + identifier.getValue()))
                    && (id == null || r.getIdElement().getIdPart().equals(id.getValue())))
        .stream()
        .map(type::cast)
        .toList();
  }

  @Create
  public MethodOutcome create(@ResourceParam T resource, @ConditionalUrlParam String ifNoneExist) {
    RecipientWrites.Write write =
        ifNoneExist == null
            ? new RecipientWrites.Write(resource, null, RecipientWrites.Kind.CREATE, null)
            : new RecipientWrites.Write(
                resource, null, RecipientWrites.Kind.CREATE_IF_NONE_EXIST, query(ifNoneExist));
    return outcome(writes.apply(List.of(write)).get(0));
  }

  @Update
  public MethodOutcome update(
      @IdParam IdType id, @ResourceParam T resource, @ConditionalUrlParam String conditional) {
    RecipientWrites.Write write =
        conditional != null
            ? new RecipientWrites.Write(
                resource, null, RecipientWrites.Kind.UPDATE_CONDITIONAL, query(conditional))
            : new RecipientWrites.Write(
                resource, null, RecipientWrites.Kind.UPDATE, id.getIdPart());
    return outcome(writes.apply(List.of(write)).get(0));
  }

  private MethodOutcome outcome(RecipientWrites.Outcome outcome) {
    IdType id = new IdType(outcome.location());
    return new MethodOutcome(id, outcome.created())
        .setResource(store.read(typeName(), id.getIdPart()).orElseThrow());
  }

  /** {@code Task?identifier=x} or {@code identifier=x}: the query alone. */
  static String query(String conditional) {
    int question = conditional.indexOf('?');
    String query = question < 0 ? conditional : conditional.substring(question + 1);
    if (query.isBlank()) {
      throw new InvalidRequestException("A conditional request needs search parameters");
    }
    return query;
  }

  private String typeName() {
    return type.getSimpleName();
  }
}
