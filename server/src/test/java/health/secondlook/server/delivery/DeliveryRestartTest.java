package health.secondlook.server.delivery;

import static health.secondlook.server.support.Referrals.progress;
import static health.secondlook.server.support.Referrals.request;
import static health.secondlook.server.support.Referrals.submit;
import static health.secondlook.server.support.Referrals.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import health.secondlook.sandbox.SyntheticCancerPatients;
import health.secondlook.server.SecondLookApplication;
import health.secondlook.server.audit.AuditTrail;
import health.secondlook.server.support.FaultInjection;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.TestDataDirectories;
import health.secondlook.server.support.TestEhr;
import health.secondlook.server.support.TestEhrs;
import health.secondlook.server.support.TestParties;
import health.secondlook.server.support.TestRecipient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * SecondLook stops while a packet is being delivered (the recipient failing every request, some of
 * them only after it has stored what it was sent) and starts again once the recipient recovers: the
 * delivery resumes and the recipient ends up with one copy of the packet and one Task.
 */
class DeliveryRestartTest {

  @Test
  void restartDuringADeliveryResumesItWithoutLosingOrDuplicatingThePacket() {
    FaultInjection faults = new FaultInjection(1.0, Duration.ofMillis(1500), 11L);
    TestRecipient recipient = TestRecipient.start(faults);
    TestEhr ehr =
        TestEhr.start(
            5, List.of(SyntheticCancerPatients.withVolume("delivery-restart-1", 30)), null);
    List<String> arguments = new ArrayList<>();
    TestEhrs.get().properties().forEach((k, v) -> arguments.add("--" + k + "=" + v));
    String settings = "--secondlook.recipients.restart.delivery.";
    arguments.addAll(
        List.of(
            "--server.port=0",
            "--secondlook.data-dir=" + TestDataDirectories.fresh(),
            "--secondlook.ehrs.restart.base-url=" + ehr.baseUrl(),
            "--secondlook.recipients.restart.display=Recipient that fails until the restart",
            settings + "mode=push",
            settings + "base-url=" + recipient.baseUrl(),
            settings + "limits.read-timeout=1s",
            settings + "limits.max-attempts=1000",
            settings + "limits.initial-backoff=50ms",
            settings + "limits.max-backoff=200ms",
            "--secondlook.signing.generate-demo-keys=true"));

    String taskId;
    try (ConfigurableApplicationContext first = start(arguments)) {
      IGenericClient fhir = client(first);
      Parameters referral = request("restart", "delivery-restart-1", "delivery-restart-request");
      referral.getParameter().stream()
          .filter(p -> p.getName().equals("recipient"))
          .forEach(p -> p.setValue(new StringType("restart")));
      taskId = task(submit(fhir, referral)).getIdPart();
      await().atMost(Duration.ofSeconds(90)).until(() -> faults.requests() > 5);
      assertThat(progress(fhir.read().resource(Task.class).withId(taskId).execute()))
          .isEqualTo("delivering");
    }

    faults.setFailureRate(0);
    try (ConfigurableApplicationContext second = start(arguments)) {
      IGenericClient fhir = client(second);
      Task done =
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () -> fhir.read().resource(Task.class).withId(taskId).execute(),
                  t -> Set.of("delivered", "delivery-failed").contains(progress(t)));

      assertThat(progress(done)).isEqualTo("delivered");
      assertThat(done.getStatus()).isEqualTo(Task.TaskStatus.RECEIVED);
      Bundle packet =
          fhir.read()
              .resource(Bundle.class)
              .withUrl(
                  done.getOutput().stream()
                      .filter(o -> o.getType().getCodingFirstRep().getCode().equals("packet"))
                      .map(o -> ((Reference) o.getValue()).getReference())
                      .findFirst()
                      .orElseThrow())
              .execute();
      IGenericClient atRecipient = FhirClients.client(recipient.baseUrl());
      assertThat(count(atRecipient, "Bundle", packet.getIdentifier())).isEqualTo(1);
      assertThat(count(atRecipient, "Task", done.getIdentifierFirstRep())).isEqualTo(1);
      // The audit trail kept what the first node recorded and has the delivery once.
      Bundle trail =
          TestParties.auditor(
                  "http://localhost:"
                      + second.getEnvironment().getProperty("local.server.port")
                      + "/fhir")
              .search()
              .byUrl(
                  "AuditEvent?entity-name:exact=Task/"
                      + taskId
                      + "&type="
                      + AuditTrail.ACTIVITY_SYSTEM
                      + "|")
              .returnBundle(Bundle.class)
              .execute();
      assertThat(
              trail.getEntry().stream()
                  .map(e -> ((AuditEvent) e.getResource()).getType().getCode())
                  .sorted()
                  .toList())
          .containsExactly("deliver", "pull", "sign");
    } finally {
      recipient.stop();
    }
  }

  private static int count(IGenericClient client, String type, Identifier identifier) {
    return client
        .search()
        .forResource(type)
        .where(
            new TokenClientParam("identifier")
                .exactly()
                .systemAndCode(identifier.getSystem(), identifier.getValue()))
        .returnBundle(Bundle.class)
        .execute()
        .getEntry()
        .size();
  }

  private static ConfigurableApplicationContext start(List<String> arguments) {
    return new SpringApplicationBuilder(SecondLookApplication.class)
        .run(arguments.toArray(String[]::new));
  }

  private static IGenericClient client(ConfigurableApplicationContext context) {
    return FhirClients.client(
        "http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/fhir");
  }
}
