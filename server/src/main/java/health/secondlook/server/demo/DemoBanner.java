package health.secondlook.server.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Tells the person who just started the demo where to point a browser or FHIR client. */
@Component
@Profile("demo")
class DemoBanner {

  private static final Logger log = LoggerFactory.getLogger(DemoBanner.class);

  @EventListener
  void announce(ApplicationReadyEvent ready) {
    String port = ready.getApplicationContext().getEnvironment().getProperty("local.server.port");
    String root = "http://localhost:" + port;
    log.info(
        """

        SecondLook demo is ready.
          SecondLook FHIR API      {}/fhir/metadata
          Sandbox referring EHR    {}{}/Patient
          Sandbox recipient        {}{}/Bundle
          Packet items ValueSet    {}/fhir/ValueSet/$expand?url=https://secondlook.health/fhir/ValueSet/packet-item
          Health                   {}/actuator/health
        """,
        root,
        root,
        DemoSandboxConfiguration.SANDBOX_PATH,
        root,
        DemoSandboxConfiguration.RECIPIENT_PATH,
        root,
        root);
  }
}
