package health.secondlook.server.signing;

import static health.secondlook.server.support.Referrals.awaitPullEnd;
import static health.secondlook.server.support.Referrals.request;
import static health.secondlook.server.support.Referrals.submit;
import static health.secondlook.server.support.Referrals.task;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.TestEhrs;
import java.time.Duration;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A packet assembled from records really pulled from an EHR, signed with RS256 and with ES256,
 * verifies; the same packet with one pulled value changed does not.
 */
@H2ServerTest
class RealPacketSignatureTest {

  @LocalServerPort int port;

  @Test
  void aRealPacketSignsAndVerifiesWithRs256AndEs256() {
    IGenericClient fhir = FhirClients.client("http://localhost:" + port + "/fhir");
    Task task = task(submit(fhir, request(TestEhrs.SANDBOX, TestEhrs.SIGNED_PACKET_PATIENT)));
    Task done = awaitPullEnd(fhir, task.getIdPart(), Duration.ofSeconds(60));
    String packetReference =
        done.getOutput().stream()
            .filter(o -> o.getType().getCodingFirstRep().getCode().equals("packet"))
            .map(o -> ((Reference) o.getValue()).getReference())
            .findFirst()
            .orElseThrow();
    Bundle stored = fhir.read().resource(Bundle.class).withUrl(packetReference).execute();
    TestPki pki = new TestPki("real-packet", TestPki.LONG_AGO, TestPki.FAR_AHEAD);

    for (SigningIdentity identity : List.of(pki.rsa(), pki.ec())) {
      Bundle packet = stored.copy();
      packet.setSignature(null);
      new BundleSigner(identity)
          .sign(packet, SignatureRole.AUTHOR, TestPki.NOW, new Reference().setDisplay("test"));

      assertThat(new BundleVerifier(pki.trust()).verify(packet).problems())
          .as(identity.alg().getName())
          .isEmpty();

      Bundle tampered = packet.copy();
      tampered.getEntry().stream()
          .map(Bundle.BundleEntryComponent::getResource)
          .filter(r -> r instanceof org.hl7.fhir.r4.model.DiagnosticReport)
          .map(org.hl7.fhir.r4.model.DiagnosticReport.class::cast)
          .findFirst()
          .orElseThrow()
          .setConclusionElement(new StringType("No malignancy."));
      assertThat(new BundleVerifier(pki.trust()).verify(tampered).has(ProblemCode.DIGEST_MISMATCH))
          .as(identity.alg().getName() + " tampered")
          .isTrue();
    }
  }
}
