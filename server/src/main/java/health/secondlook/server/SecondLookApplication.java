package health.secondlook.server;

import health.secondlook.server.signing.VerifyCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * SecondLook: a FHIR R4 server that runs a cancer second opinion from the referring EHR's request,
 * through a complete signed packet, to the specialist's review written back into the EHR.
 */
// HAPI brings Elasticsearch and Flyway onto the classpath; SecondLook uses neither, and HAPI's own
// schema handling owns the database. Spring Security must not invent a user with a generated
// password. Spring Authorization Server is there for the demo's sandbox issuer only, which sets
// itself up (demo package); Boot's set-up would add a token signing key to every deployment.
@SpringBootApplication(
    exclude = {
      ElasticsearchRestClientAutoConfiguration.class,
      FlywayAutoConfiguration.class,
      UserDetailsServiceAutoConfiguration.class,
      OAuth2AuthorizationServerAutoConfiguration.class,
      OAuth2AuthorizationServerJwtAutoConfiguration.class
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
