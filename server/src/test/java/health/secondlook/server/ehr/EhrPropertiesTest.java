package health.secondlook.server.ehr;

import static org.assertj.core.api.Assertions.assertThat;

import health.secondlook.server.ehr.EhrEndpointProperties.AuthMode;
import health.secondlook.server.ehr.EhrEndpointProperties.Limits;
import health.secondlook.server.smart.SigningAlgorithm;
import health.secondlook.server.smart.TestKeys;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

/** EHR endpoints configured the two ways an operator does it: command line and environment. */
class EhrPropertiesTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(EhrProperties.class)
  @Import({EhrDirectory.class, EhrClients.class})
  static class EhrConfiguration {}

  @TempDir Path dir;

  @Test
  void commandLinePropertiesDefineAnEndpoint() {
    run(
        new SimpleCommandLinePropertySource(
            "--secondlook.ehrs.hospital-a.base-url=https://ehr.example.org/fhir/",
            "--secondlook.ehrs.hospital-a.auth.mode=bearer",
            "--secondlook.ehrs.hospital-a.auth.token=from-the-environment",
            "--secondlook.ehrs.hospital-a.limits.max-concurrency=8",
            "--secondlook.ehrs.hospital-a.mapping=epic"),
        directory -> {
          EhrEndpoint ehr = directory.find("hospital-a").orElseThrow();
          assertThat(directory.names()).containsExactly("hospital-a");
          assertThat(ehr.name()).isEqualTo("hospital-a");
          assertThat(ehr.baseUrl()).isEqualTo(URI.create("https://ehr.example.org/fhir"));
          assertThat(ehr.auth().mode()).isEqualTo(AuthMode.BEARER);
          assertThat(ehr.auth().token()).isEqualTo("from-the-environment");
          assertThat(ehr.auth().toString()).doesNotContain("from-the-environment");
          assertThat(ehr.limits().maxConcurrency()).isEqualTo(8);
          assertThat(ehr.mapping()).isEqualTo("epic");
        });
  }

  @Test
  void environmentVariablesDefineAnEndpoint() {
    Path key = TestKeys.writePkcs8Pem(TestKeys.ecP384(), dir.resolve("hospital.pem"));
    run(
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            Map.of(
                "SECONDLOOK_EHRS_HOSPITALA_BASEURL", "https://ehr.example.org/fhir",
                "SECONDLOOK_EHRS_HOSPITALA_AUTH_MODE", "smart-backend",
                "SECONDLOOK_EHRS_HOSPITALA_AUTH_CLIENTID", "secondlook",
                "SECONDLOOK_EHRS_HOSPITALA_AUTH_KEYFILE", key.toString(),
                "SECONDLOOK_EHRS_HOSPITALA_AUTH_KEYID", "key-2025",
                "SECONDLOOK_EHRS_HOSPITALA_AUTH_ALGORITHM", "ES384",
                "SECONDLOOK_EHRS_HOSPITALA_AUTH_TOKENURL", "https://ehr.example.org/oauth2/token",
                "SECONDLOOK_EHRS_HOSPITALA_LIMITS_READTIMEOUT", "45s",
                "SECONDLOOK_EHRS_HOSPITALA_LIMITS_MAXBINARYBYTES", "20MB")),
        directory -> {
          EhrEndpoint ehr = directory.find("hospitala").orElseThrow();
          assertThat(ehr.auth().mode()).isEqualTo(AuthMode.SMART_BACKEND);
          assertThat(ehr.auth().clientId()).isEqualTo("secondlook");
          assertThat(ehr.auth().keyFile()).isEqualTo(key);
          assertThat(ehr.auth().keyId()).isEqualTo("key-2025");
          assertThat(ehr.auth().algorithm()).isEqualTo(SigningAlgorithm.ES384);
          assertThat(ehr.auth().tokenUrl())
              .isEqualTo(URI.create("https://ehr.example.org/oauth2/token"));
          assertThat(ehr.auth().scope()).isEqualTo("system/*.rs");
          assertThat(ehr.limits().readTimeout()).isEqualTo(Duration.ofSeconds(45));
          assertThat(ehr.limits().maxBinaryBytes()).isEqualTo(DataSize.ofMegabytes(20));
        });
  }

  @Test
  void aBaseUrlAloneGivesNoAuthAndTheDefaultLimits() {
    run(
        new SimpleCommandLinePropertySource(
            "--secondlook.ehrs.sandbox.base-url=http://localhost:8080/sandbox-ehr/fhir"),
        directory -> {
          EhrEndpoint ehr = directory.find("sandbox").orElseThrow();
          assertThat(ehr.auth().mode()).isEqualTo(AuthMode.NONE);
          assertThat(ehr.mapping()).isEqualTo("r4-default");
          assertThat(ehr.limits())
              .isEqualTo(
                  new Limits(
                      4,
                      Duration.ofSeconds(5),
                      Duration.ofSeconds(30),
                      6,
                      Duration.ofMillis(500),
                      Duration.ofSeconds(30),
                      DataSize.ofMegabytes(10),
                      100));
        });
  }

  @Test
  void noEndpointsIsFine() {
    new ApplicationContextRunner()
        .withUserConfiguration(EhrConfiguration.class)
        .run(context -> assertThat(context.getBean(EhrDirectory.class).names()).isEmpty());
  }

  @Test
  void aMissingKeyFileStopsStartUpNamingTheProperty() {
    assertStartupFails(
        "secondlook.ehrs.hospital-a.auth.key-file: file not found: /x.pem",
        "--secondlook.ehrs.hospital-a.base-url=https://ehr.example.org/fhir",
        "--secondlook.ehrs.hospital-a.auth.mode=smart-backend",
        "--secondlook.ehrs.hospital-a.auth.client-id=secondlook",
        "--secondlook.ehrs.hospital-a.auth.key-id=k1",
        "--secondlook.ehrs.hospital-a.auth.key-file=/x.pem");
  }

  @Test
  void aFileThatHoldsNoUsableKeyStopsStartUp() throws Exception {
    Path notAKey =
        Files.writeString(
            dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n");
    assertStartupFails(
        "secondlook.ehrs.hospital-a.auth.key-file: cannot read a private key from " + notAKey,
        "--secondlook.ehrs.hospital-a.base-url=https://ehr.example.org/fhir",
        "--secondlook.ehrs.hospital-a.auth.mode=smart-backend",
        "--secondlook.ehrs.hospital-a.auth.client-id=secondlook",
        "--secondlook.ehrs.hospital-a.auth.key-id=k1",
        "--secondlook.ehrs.hospital-a.auth.key-file=" + notAKey);
  }

  @Test
  void everyProblemIsNamed() {
    assertStartupFails(
        "secondlook.ehrs.a.base-url: required",
        "--secondlook.ehrs.a.auth.mode=bearer",
        "--secondlook.ehrs.b.base-url=ftp://ehr.example.org/fhir",
        "--secondlook.ehrs.b.auth.mode=smart-backend",
        "--secondlook.ehrs.b.limits.initial-backoff=10s",
        "--secondlook.ehrs.b.limits.max-backoff=1s");
    assertStartupFails(
        "secondlook.ehrs.a.auth.token: required when auth.mode is bearer",
        "--secondlook.ehrs.a.auth.mode=bearer");
    assertStartupFails(
        "secondlook.ehrs.b.base-url: must be an http or https URL with a host, not 'ftp://ehr.example.org/fhir'",
        "--secondlook.ehrs.b.base-url=ftp://ehr.example.org/fhir");
    assertStartupFails(
        "secondlook.ehrs.b.auth.client-id: required when auth.mode is smart-backend",
        "--secondlook.ehrs.b.base-url=https://ehr.example.org/fhir",
        "--secondlook.ehrs.b.auth.mode=smart-backend");
    assertStartupFails(
        "secondlook.ehrs.b.limits.max-backoff: must be at least limits.initial-backoff",
        "--secondlook.ehrs.b.base-url=https://ehr.example.org/fhir",
        "--secondlook.ehrs.b.limits.initial-backoff=10s",
        "--secondlook.ehrs.b.limits.max-backoff=1s");
  }

  @Test
  void anUnknownAuthModeIsNamed() {
    assertStartupFails(
        "secondlook.ehrs.a.auth.mode",
        "--secondlook.ehrs.a.base-url=https://ehr.example.org/fhir",
        "--secondlook.ehrs.a.auth.mode=basic");
  }

  private void run(PropertySource<?> source, java.util.function.Consumer<EhrDirectory> check) {
    runner(source)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              check.accept(context.getBean(EhrDirectory.class));
            });
  }

  private void assertStartupFails(String message, String... args) {
    runner(new SimpleCommandLinePropertySource(args))
        .run(
            context -> {
              assertThat(context).hasFailed();
              List<String> messages = new ArrayList<>();
              for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                messages.add(t.getMessage());
              }
              assertThat(messages).anySatisfy(m -> assertThat(m).contains(message));
            });
  }

  private ApplicationContextRunner runner(PropertySource<?> source) {
    return new ApplicationContextRunner()
        .withUserConfiguration(EhrConfiguration.class)
        .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(source));
  }
}
