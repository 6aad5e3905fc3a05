package health.secondlook.server;

import health.secondlook.server.signing.VerifyCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * SecondLook: a FHIR R4 server that runs a cancer second opinion from the referring EHR's request,
 * through a complete signed packet, to the specialist's review written back into the EHR.
 */
// HAPI brings Elasticsearch, Flyway and Thymeleaf onto the classpath; SecondLook uses none of
// them directly, and HAPI's own schema handling owns the database. Spring Security is there for
// the SMART client towards EHRs; it must not invent a user with a generated password.
@SpringBootApplication(
    exclude = {
      ElasticsearchRestClientAutoConfiguration.class,
      FlywayAutoConfiguration.class,
      ThymeleafAutoConfiguration.class,
      UserDetailsServiceAutoConfiguration.class
    })
@ConfigurationPropertiesScan
public class SecondLookApplication {

  /** Starts the server; {@code verify …} instead runs the packet verifier, without the server. */
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("verify")) {
      VerifyCommand.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    SpringApplication.run(SecondLookApplication.class, args);
  }
}
