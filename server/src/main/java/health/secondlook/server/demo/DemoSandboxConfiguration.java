package health.secondlook.server.demo;

import health.secondlook.sandbox.SandboxEhrServer;
import health.secondlook.sandbox.SyntheticCancerPatients;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Demo only: mounts a sandbox referring EHR, seeded with synthetic cancer patients, at its own FHIR
 * base URL in the same process. SecondLook treats it like any other EHR and reaches it over HTTP.
 * Nothing here is active outside the {@code demo} profile.
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class DemoSandboxConfiguration {

  static final String SANDBOX_PATH = "/sandbox-ehr/fhir";

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
}
