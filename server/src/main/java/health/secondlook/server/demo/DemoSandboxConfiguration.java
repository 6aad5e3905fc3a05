package health.secondlook.server.demo;

import health.secondlook.sandbox.SandboxEhrServer;
import health.secondlook.sandbox.SyntheticCancerPatients;
import health.secondlook.sandbox.recipient.SandboxRecipientSystem;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Demo only: mounts a sandbox referring EHR, seeded with synthetic cancer patients, and a sandbox
 * recipient (the specialist's FHIR server the demo tumour board's packets are pushed to), each at
 * its own FHIR base URL in the same process. SecondLook treats them like any other EHR and
 * recipient and reaches them over HTTP. Nothing here is active outside the {@code demo} profile.
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class DemoSandboxConfiguration {

  static final String SANDBOX_PATH = "/sandbox-ehr/fhir";
  static final String RECIPIENT_PATH = "/sandbox-recipient/fhir";

  @Bean
  ServletRegistrationBean<SandboxEhrServer> sandboxEhrServlet(DemoProperties properties) {
    SandboxEhrServer sandbox =
        new SandboxEhrServer(properties.sandboxPageSize(), SyntheticCancerPatients.all());
    ServletRegistrationBean<SandboxEhrServer> registration =
        new ServletRegistrationBean<>(sandbox, SANDBOX_PATH + "/*");
    registration.setName("sandbox-ehr");
    registration.setLoadOnStartup(1);
    return registration;
  }

  /**
   * The SMART configuration of both sandbox FHIR servers (see {@link SandboxIssuerConfiguration}).
   */
  @Bean
  ServletRegistrationBean<SandboxSmartConfiguration> sandboxSmartConfiguration() {
    ServletRegistrationBean<SandboxSmartConfiguration> registration =
        new ServletRegistrationBean<>(
            new SandboxSmartConfiguration(),
            SANDBOX_PATH + SandboxSmartConfiguration.PATH,
            RECIPIENT_PATH + SandboxSmartConfiguration.PATH);
    registration.setName("sandbox-smart-configuration");
    return registration;
  }

  /** The demo recipient's FHIR server, where the demo tumour board's packets are pushed. */
  @Bean
  ServletRegistrationBean<SandboxRecipientSystem> sandboxRecipientServlet() {
    ServletRegistrationBean<SandboxRecipientSystem> registration =
        new ServletRegistrationBean<>(new SandboxRecipientSystem(), RECIPIENT_PATH + "/*");
    registration.setName("sandbox-recipient");
    registration.setLoadOnStartup(1);
    return registration;
  }
}
