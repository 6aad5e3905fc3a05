package health.secondlook.mappings;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.fhirpath.IFhirPath.IParsedExpression;
import health.secondlook.mappings.MappingProfile.Search;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Reference;

/**
 * Lists what a pull must fetch next because a resource it holds points there: the profile's {@code
 * follow} paths for the resource's type, evaluated on it. The pull route calls it on every resource
 * it receives, so references are followed however deep the packet needs (a report's result
 * Observations, then their members).
 */
public final class ReferenceFollower {

  /**
   * Something to fetch.
   *
   * @param reference as written in the resource: {@code Type/id}, an absolute URL, or an
   *     attachment's {@code url}
   * @param declaredSize the attachment's declared {@code size} in bytes, or {@code null} when it is
   *     a reference or the size is not given
   */
  public record Target(String reference, Long declaredSize) {

    /**
     * Whether the declared size allows fetching under a byte limit; an undeclared size does, and
     * the download itself must then stop at the limit.
     */
    public boolean fitsWithin(long maxBytes) {
      return declaredSize == null || declaredSize <= maxBytes;
    }
  }

  private final FhirContext ctx;
  private final IFhirPath fhirPath;
  private final Map<String, List<IParsedExpression>> byResourceType = new HashMap<>();

  /** Parses every follow path once. */
  public ReferenceFollower(FhirContext ctx, MappingProfile profile) {
    this.ctx = ctx;
    this.fhirPath = ctx.newFhirPath();
    for (Search search : profile.searches()) {
      for (String path : search.follow()) {
        byResourceType
            .computeIfAbsent(search.resourceType(), type -> new ArrayList<>())
            .add(parse(path));
      }
    }
  }

  /**
   * The targets the resource points to, each once, in path order. References to contained resources
   * ({@code #id}), identifier-only references and inline attachments are skipped: there is nothing
   * to fetch.
   */
  public List<Target> targets(IBaseResource resource) {
    Map<String, Target> targets = new LinkedHashMap<>();
    for (IParsedExpression path :
        byResourceType.getOrDefault(ctx.getResourceType(resource), List.of())) {
      for (IBase value : fhirPath.evaluate(resource, path, IBase.class)) {
        Target target = target(value);
        if (target != null && !target.reference().startsWith("#")) {
          targets.putIfAbsent(target.reference(), target);
        }
      }
    }
    return List.copyOf(targets.values());
  }

  /** A choice element such as {@code MedicationRequest.medication} may hold a concept: skip it. */
  private static Target target(IBase value) {
    if (value instanceof Reference reference && reference.hasReference()) {
      return new Target(reference.getReference(), null);
    }
    if (value instanceof Attachment attachment && attachment.hasUrl()) {
      return new Target(
          attachment.getUrl(), attachment.hasSize() ? (long) attachment.getSize() : null);
    }
    return null;
  }

  private IParsedExpression parse(String path) {
    try {
      return fhirPath.parse(path);
    } catch (Exception e) {
      throw new IllegalArgumentException("Cannot parse follow path '" + path + "'", e);
    }
  }
}
