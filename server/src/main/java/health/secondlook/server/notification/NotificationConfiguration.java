package health.secondlook.server.notification;

import ca.uhn.fhir.broker.api.IBrokerClient;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.subscription.channel.subscription.SubscriptionChannelFactory;
import ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import java.util.HashSet;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * FHIR R4 rest-hook Subscriptions on SecondLook's {@code /fhir}, with HAPI's own subscription
 * support: a referrer creates a Subscription whose criteria select its referral Task (e.g. {@code
 * Task?identifier=...}) and receives each new version of the Task at its endpoint, in order, as a
 * FHIR update ({@code PUT {endpoint}/Task/{id}}).
 *
 * <p>How a change travels: the Task update stores a "resource modified" message in the same
 * database transaction (HAPI's {@code HFJ_RES_MODIFIED}); every {@code submission-interval} HAPI
 * hands the stored messages, oldest first, to the matching channel; a match goes to the
 * Subscription's own delivery channel, which calls the endpoint. Both channels have a single
 * consumer ({@link InOrderSubscriptionChannelFactory}). A failing endpoint is retried with backoff
 * for up to a minute per change (HAPI's channel retry policy), after which HAPI logs the failure
 * and moves on to the next change; the Task update never waits for, or fails with, a delivery.
 *
 * <p>HAPI refuses unparseable criteria and endpoints that are not http(s) with {@code 422}; {@link
 * SubscriptionLimits} refuses channels other than {@code rest-hook} and criteria on types other
 * than {@code secondlook.notifications.resource-types}.
 */
@Configuration(proxyBeanMethods = false)
@Import({SubscriptionSubmitterConfig.class, SubscriptionProcessorConfig.class})
@EnableConfigurationProperties(NotificationProperties.class)
class NotificationConfiguration {

  @Bean
  SubscriptionSettings subscriptionSettings(NotificationProperties properties) {
    SubscriptionSettings settings = new SubscriptionSettings();
    settings.addSupportedSubscriptionType(
        org.hl7.fhir.dstu2.model.Subscription.SubscriptionChannelType.RESTHOOK);
    settings.setSubscriptionIntervalInMs(properties.submissionInterval().toMillis());
    return settings;
  }

  /** Replaces the factory of HAPI's {@code SubscriptionChannelConfig} for every channel. */
  @Bean
  @Primary
  SubscriptionChannelFactory inOrderSubscriptionChannelFactory(IBrokerClient brokerClient) {
    return new InOrderSubscriptionChannelFactory(brokerClient);
  }

  /** HAPI's delivery wiring asks for a mail sender; email channels are refused before delivery. */
  @Bean
  IEmailSender noEmailSender() {
    return details -> {
      throw new UnsupportedOperationException("SecondLook does not send email notifications");
    };
  }

  @Bean
  NotifiedChanges notifiedChanges(
      IInterceptorService interceptors,
      FhirContext fhirContext,
      NotificationProperties properties) {
    return new NotifiedChanges(
        interceptors, fhirContext, new HashSet<>(properties.resourceTypes()));
  }

  @Bean
  SubscriptionLimits subscriptionLimits(
      IInterceptorService interceptors, NotificationProperties properties) {
    return new SubscriptionLimits(interceptors, new HashSet<>(properties.resourceTypes()));
  }
}
