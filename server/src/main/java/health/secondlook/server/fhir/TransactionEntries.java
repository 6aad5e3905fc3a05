package health.secondlook.server.fhir;

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
}
