package health.secondlook.server.pull;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import health.secondlook.server.fhir.TransactionEntries;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * Stores a pull's records in SecondLook in one transaction: each resource under its {@link LocalIds
 * local id} (so pulling again updates rather than duplicates), plus a List of everything the pull
 * found, which the completeness report and the packet work from.
 */
@Component
class PulledRecordStore {

  private static final int MAX_STORE_ATTEMPTS = 5;

  private final FhirContext fhirContext;
  private final IFhirSystemDao<Bundle, Meta> systemDao;

  PulledRecordStore(FhirContext fhirContext, IFhirSystemDao<Bundle, Meta> systemDao) {
    this.fhirContext = fhirContext;
    this.systemDao = systemDao;
  }

  /** Returns the local copies, in the order given, after storing them and their List. */
  List<Resource> store(
      String ehrName,
      String ehrBaseUrl,
      Collection<Resource> pulled,
      String listId,
      Reference patient) {
    PulledResourceMapper mapper = new PulledResourceMapper(fhirContext, ehrName, ehrBaseUrl);
    Set<String> keys = pulled.stream().map(PulledResourceMapper::key).collect(Collectors.toSet());
    List<Resource> local = new ArrayList<>();
    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (Resource resource : pulled) {
      Resource copy = mapper.toLocal(resource, keys);
      local.add(copy);
      TransactionEntries.put(transaction, copy);
    }
    ListResource list = new ListResource();
    list.setId(listId);
    list.setStatus(ListResource.ListStatus.CURRENT);
    list.setMode(ListResource.ListMode.SNAPSHOT);
    list.setTitle("Records pulled from " + ehrName);
    list.setSubject(patient);
    local.forEach(r -> list.addEntry().setItem(new Reference(r.fhirType() + "/" + r.getIdPart())));
    TransactionEntries.put(transaction, list);
    storeRetryingConflicts(transaction);
    return local;
  }

  /**
   * Pulls of two patients of the same EHR store the same practitioners and organisations; when both
   * create one at the same moment, one transaction loses and is simply run again.
   */
  private void storeRetryingConflicts(Bundle transaction) {
    for (int attempt = 1; ; attempt++) {
      try {
        systemDao.transaction(new SystemRequestDetails(), transaction);
        return;
      } catch (ResourceVersionConflictException e) {
        if (attempt == MAX_STORE_ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
