package health.secondlook.server.writeback;

import health.secondlook.mappings.WriteBack;
import health.secondlook.server.ehr.EhrDirectory;
import health.secondlook.server.ehr.EhrEndpoint;
import health.secondlook.server.referral.ReferralTasks;
import health.secondlook.server.terminology.SiteContent;
import health.secondlook.server.writeback.WriteBackRunner.WriteBackImpossibleException;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/**
 * Where a referral's outcome is written back, and how: the referring EHR it came from and the
 * {@code writeBack} section of that EHR's mapping profile. Shared by the review's and the
 * information request's write-back.
 */
@Component
class WriteBackTargets {

  /** The referring EHR by its configured name, and what its mapping says to write there. */
  record Target(String name, EhrEndpoint ehr, WriteBack mapping) {}

  private final EhrDirectory ehrs;
  private final SiteContent site;

  WriteBackTargets(EhrDirectory ehrs, SiteContent site) {
    this.ehrs = ehrs;
    this.site = site;
  }

  /**
   * @throws WriteBackImpossibleException if the EHR is no longer configured or its mapping has no
   *     {@code writeBack} section: retrying would not help
   */
  Target of(Task referral) {
    String name = ReferralTasks.sourceEhr(referral);
    EhrEndpoint ehr =
        ehrs.find(name)
            .orElseThrow(
                () ->
                    new WriteBackImpossibleException("EHR '" + name + "' is no longer configured"));
    WriteBack mapping = site.mapping(ehr.mapping()).writeBack();
    if (mapping == null) {
      throw new WriteBackImpossibleException(
          "the mapping profile '%s' of EHR '%s' has no writeBack section, so SecondLook does not know what to write there; add one (see mappings/README.md)"
              .formatted(ehr.mapping(), name));
    }
    return new Target(name, ehr, mapping);
  }

  /** "EHR 'name' (base URL)", or just the name if it is no longer configured, for a reason text. */
  String describe(Task referral) {
    String name = ReferralTasks.sourceEhr(referral);
    return ehrs.find(name)
        .map(e -> "EHR '%s' (%s)".formatted(name, e.baseUrl()))
        .orElse("EHR '" + name + "'");
  }
}
