package health.secondlook.server.demo;

import java.nio.file.Path;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Tells the person who just started the demo where to point a browser or FHIR client, and the demo
 * users' passwords for this start (made at start-up, so none is ever written down).
 */
@Component
@Profile("demo")
class DemoBanner {

  private static final Logger log = LoggerFactory.getLogger(DemoBanner.class);

  private final SandboxUsers users;
  private final Path dataDirectory;

  DemoBanner(SandboxUsers users, @Value("${secondlook.data-dir}") Path dataDirectory) {
    this.users = users;
    this.dataDirectory = dataDirectory;
  }

  @EventListener
  void announce(ApplicationReadyEvent ready) {
    String port = ready.getApplicationContext().getEnvironment().getProperty("local.server.port");
    String root = "http://localhost:" + port;
    Path file = users.writeTo(dataDirectory);
    String people =
        users.all().stream()
            .map(p -> "  %-12s %s".formatted(p.username(), p.name()))
            .collect(Collectors.joining("\n"));
    log.info(
        """

        SecondLook demo is ready.
          Start here: the sandbox EHR's chart   {}{}
          Specialists sign in to SecondLook     {}/sign-in
          The tumour board's own system         {}{}
          SecondLook FHIR API                   {}/fhir/metadata (operations: {}/fhir/swagger-ui/)
          Sandbox referring EHR (FHIR)          {}{}/Patient
          Health                                {}/actuator/health
        Demo users (their passwords for this start are in {}):
        {}
        """,
        root,
        SandboxChartController.CHART_PATH,
        root,
        root,
        SandboxChartController.SPECIALIST_EHR_PATH,
        root,
        root,
        root,
        DemoSandboxConfiguration.SANDBOX_PATH,
        root,
        file.toAbsolutePath(),
        people);
  }
}
