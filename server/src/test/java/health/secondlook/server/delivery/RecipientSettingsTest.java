package health.secondlook.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import health.secondlook.server.delivery.RecipientDelivery.Mode;
import health.secondlook.server.delivery.RecipientDelivery.PushStyle;
import health.secondlook.server.referral.RecipientDirectory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Recipients' delivery settings, given the two ways an operator does it, and checked at start. */
class RecipientSettingsTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(RecipientDirectory.class)
  static class RecipientConfiguration {}

  @Test
  void environmentVariablesConfigureADelivery() {
    run(
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            Map.of(
                "SECONDLOOK_RECIPIENTS_TUMOURBOARD_DISPLAY", "Regional tumour board",
                "SECONDLOOK_RECIPIENTS_TUMOURBOARD_DELIVERY_MODE", "notify-and-pull",
                "SECONDLOOK_RECIPIENTS_TUMOURBOARD_DELIVERY_BASEURL",
                    "https://fhir.board.example/r4",
                "SECONDLOOK_RECIPIENTS_TUMOURBOARD_DELIVERY_TOKEN", "from-the-environment",
                "SECONDLOOK_RECIPIENTS_TUMOURBOARD_DELIVERY_LIMITS_MAXATTEMPTS", "3",
                "SECONDLOOK_RECIPIENTS_TUMOURBOARD_DELIVERY_LIMITS_READTIMEOUT", "2m")),
        directory -> {
          RecipientDelivery delivery = directory.find("tumourboard").orElseThrow().delivery();
          assertThat(delivery.mode()).isEqualTo(Mode.NOTIFY_AND_PULL);
          assertThat(delivery.baseUrl()).isEqualTo(URI.create("https://fhir.board.example/r4"));
          assertThat(delivery.token()).isEqualTo("from-the-environment");
          assertThat(delivery.toString()).doesNotContain("from-the-environment");
          assertThat(delivery.limits().maxAttempts()).isEqualTo(3);
          assertThat(delivery.limits().readTimeout()).isEqualTo(Duration.ofMinutes(2));
          assertThat(delivery.limits().initialBackoff()).isEqualTo(Duration.ofMillis(500));
        });
  }

  @Test
  void commandLinePropertiesConfigureAMessagePush() {
    run(
        new SimpleCommandLinePropertySource(
            "--secondlook.recipients.tumour-board.display=Regional tumour board",
            "--secondlook.recipients.tumour-board.delivery.mode=push",
            "--secondlook.recipients.tumour-board.delivery.push-style=message",
            "--secondlook.recipients.tumour-board.delivery.base-url=http://localhost:9/fhir"),
        directory -> {
          RecipientDelivery delivery = directory.find("tumour-board").orElseThrow().delivery();
          assertThat(delivery.mode()).isEqualTo(Mode.PUSH);
          assertThat(delivery.pushStyle()).isEqualTo(PushStyle.MESSAGE);
          assertThat(delivery.how()).isEqualTo("push ($process-message)");
        });
  }

  @Test
  void aDisplayAloneMeansTheSpecialistWorksInSecondLook() {
    run(
        new SimpleCommandLinePropertySource("--secondlook.recipients.board.display=Board"),
        directory -> {
          RecipientDelivery delivery = directory.find("board").orElseThrow().delivery();
          assertThat(delivery.mode()).isEqualTo(Mode.NONE);
          assertThat(delivery.delivers()).isFalse();
          assertThat(delivery.pushStyle()).isEqualTo(PushStyle.TRANSACTION);
        });
  }

  @Test
  void aPushWithoutABaseUrlStopsStartUpNamingTheSetting() {
    assertStartupFails(
        "secondlook.recipients.board.delivery.base-url: required when delivery.mode is push",
        "--secondlook.recipients.board.display=Board",
        "--secondlook.recipients.board.delivery.mode=push");
    assertStartupFails(
        "secondlook.recipients.board.delivery.base-url: must be an http or https URL with a host, not 'ftp://board.example/fhir'",
        "--secondlook.recipients.board.delivery.mode=notify-and-pull",
        "--secondlook.recipients.board.delivery.base-url=ftp://board.example/fhir");
    assertStartupFails(
        "secondlook.recipients.board.delivery.limits.max-backoff: must be at least limits.initial-backoff",
        "--secondlook.recipients.board.delivery.mode=push",
        "--secondlook.recipients.board.delivery.base-url=https://board.example/fhir",
        "--secondlook.recipients.board.delivery.limits.initial-backoff=10s",
        "--secondlook.recipients.board.delivery.limits.max-backoff=1s");
  }

  @Test
  void anUnknownModeIsNamed() {
    assertStartupFails(
        "secondlook.recipients.board.delivery.mode",
        "--secondlook.recipients.board.delivery.mode=fax");
  }

  private void run(PropertySource<?> source, Consumer<RecipientDirectory> check) {
    runner(source)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              check.accept(context.getBean(RecipientDirectory.class));
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
        .withUserConfiguration(RecipientConfiguration.class)
        .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(source));
  }
}
