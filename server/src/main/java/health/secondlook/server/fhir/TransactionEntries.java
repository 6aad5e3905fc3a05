package health.secondlook.server.fhir;

import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/** Entries of the transaction Bundles SecondLook writes to its own store. */
public final class TransactionEntries {

  private TransactionEntries() {}

  /** Creates or replaces {@code resource} under its own id: writing it twice changes nothing. */
  public static void put(Bundle transaction, Resource resource) {
    String url = resource.fhirType() + "/" + resource.getIdPart();
    transaction
        .addEntry()
        .setFullUrl(url)
        .setResource(resource)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.PUT)
        .setUrl(url);
  }

  /**
   * Replaces {@code resource} only if it is still the version it was read as; otherwise the whole
   * transaction fails with a version conflict, so nothing is written over a change made meanwhile.
   */
  public static void putIfMatch(Bundle transaction, Resource resource) {
    put(transaction, resource);
    transaction
        .getEntry()
        .get(transaction.getEntry().size() - 1)
        .getRequest()
        .setIfMatch("W/\"" + resource.getIdElement().getVersionIdPart() + "\"");
  }

  /**
   * Creates {@code resource} under a new id.
   *
   * @return the entry's {@code urn:uuid:} full URL, for references to it from other entries
   */
  public static String post(Bundle transaction, Resource resource) {
    return post(transaction, resource, null);
  }

  /**
   * Creates {@code resource} unless one matching {@code ifNoneExist} (a search, e.g. {@code
   * identifier=system|value}) exists; then the entry resolves to that one.
   *
   * @return the entry's {@code urn:uuid:} full URL, for references to it from other entries
   */
  public static String post(Bundle transaction, Resource resource, String ifNoneExist) {
    String fullUrl = "urn:uuid:" + UUID.randomUUID();
    transaction
        .addEntry()
        .setFullUrl(fullUrl)
        .setResource(resource)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl(resource.fhirType())
        .setIfNoneExist(ifNoneExist);
    return fullUrl;
  }
}
