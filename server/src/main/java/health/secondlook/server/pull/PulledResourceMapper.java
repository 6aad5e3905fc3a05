package health.secondlook.server.pull;

import static health.secondlook.terminology.TerminologyContent.REFERRAL_PROGRESS_SYSTEM;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.util.Set;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Turns a resource as the EHR sent it into SecondLook's copy: a {@link LocalIds local id},
 * references to other pulled resources pointing at their local copies, and every other reference
 * made absolute at the EHR, so it still says exactly what the EHR meant. The EHR's own address of
 * the resource is kept in {@code meta.source}.
 */
public final class PulledResourceMapper {

  public static final String SOURCE_EHR_TAG_SYSTEM = REFERRAL_PROGRESS_SYSTEM + "/source-ehr";

  private final FhirTerser terser;
  private final String ehrName;
  private final String ehrBase;

  public PulledResourceMapper(FhirContext fhirContext, String ehrName, String ehrBaseUrl) {
    this.terser = fhirContext.newTerser();
    this.ehrName = ehrName;
    this.ehrBase = ehrBaseUrl.endsWith("/") ? ehrBaseUrl : ehrBaseUrl + "/";
  }

  /** The EHR-relative key ({@code Type/id}) of a resource as the EHR identifies it. */
  public static String key(Resource resource) {
    return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
  }

  /**
   * A local copy of {@code resource}.
   *
   * @param pulledKeys EHR-relative keys ({@code Type/id}) of every resource pulled alongside
   */
  public Resource toLocal(Resource resource, Set<String> pulledKeys) {
    Resource copy = resource.copy();
    String ehrKey = key(resource);
    copy.setId(new IdType(resource.fhirType(), LocalIds.of(ehrName, resource.getIdPart())));
    copy.getMeta().setVersionId(null).setLastUpdated(null);
    copy.getMeta().setSource(ehrBase + ehrKey);
    copy.getMeta().getTag().removeIf(t -> SOURCE_EHR_TAG_SYSTEM.equals(t.getSystem()));
    copy.getMeta().addTag(SOURCE_EHR_TAG_SYSTEM, ehrName, null);
    for (Reference reference : terser.getAllPopulatedChildElementsOfType(copy, Reference.class)) {
      if (reference.hasReference()) {
        reference.setReference(rewrite(reference.getReference(), pulledKeys));
      }
    }
    for (Attachment attachment :
        terser.getAllPopulatedChildElementsOfType(copy, Attachment.class)) {
      if (attachment.hasUrl()) {
        attachment.setUrl(rewrite(attachment.getUrl(), pulledKeys));
      }
    }
    return copy;
  }

  /** A reference to the local copy of the resource the EHR calls {@code ehrReference}. */
  public String localReference(String ehrReference) {
    IdType id = new IdType(relative(ehrReference));
    return id.getResourceType() + "/" + LocalIds.of(ehrName, id.getIdPart());
  }

  private String rewrite(String value, Set<String> pulledKeys) {
    if (value.startsWith("#") || value.startsWith("urn:")) {
      return value;
    }
    String relative = relative(value);
    if (relative.startsWith("http:") || relative.startsWith("https:")) {
      return value; // points somewhere other than this EHR: leave it as the EHR wrote it
    }
    IdType id = new IdType(relative).toVersionless();
    if (!id.hasResourceType() || !id.hasIdPart()) {
      return value;
    }
    String key = id.getResourceType() + "/" + id.getIdPart();
    return pulledKeys.contains(key) ? localReference(key) : ehrBase + key;
  }

  private String relative(String reference) {
    return reference.startsWith(ehrBase) ? reference.substring(ehrBase.length()) : reference;
  }
}
