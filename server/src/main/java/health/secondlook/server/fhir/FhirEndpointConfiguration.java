package health.secondlook.server.fhir;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.provider.ValueSetOperationProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.openapi.OpenApiInterceptor;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Publishes SecondLook's FHIR R4 API at {@code /fhir}: CRUD, search, history, transactions, {@code
 * $validate} and the terminology operations ({@code $expand}, {@code $validate-code}, {@code
 * $lookup}, {@code $translate}), described by the CapabilityStatement ({@code /fhir/metadata}), an
 * OpenAPI description ({@code /fhir/api-docs}) and a Swagger page ({@code /fhir/swagger-ui/}).
 * Feature modules add their own operations by declaring beans annotated with HAPI's
 * {@code @Operation} and implementing {@link FhirOperationProvider}.
 */
@Configuration(proxyBeanMethods = false)
class FhirEndpointConfiguration {

  static final String SERVER_NAME = "SecondLook";

  @Bean
  RestfulServer fhirRestfulServer(
      IFhirSystemDao<?, ?> systemDao,
      JpaSystemProvider<?, ?> systemProvider,
      ResourceProviderFactory resourceProviders,
      ValueSetOperationProvider valueSetOperations,
      ObjectProvider<FhirOperationProvider> secondLookOperations,
      DatabaseBackedPagingProvider pagingProvider,
      JpaStorageSettings storageSettings,
      ISearchParamRegistry searchParamRegistry,
      IValidationSupport validationSupport,
      FhirServerProperties properties,
      ObjectProvider<BuildProperties> buildProperties) {
    RestfulServer server = new RestfulServer(systemDao.getContext());
    // Refuse what we cannot read exactly (unknown elements, invalid values) with a 400 naming the
    // problem, rather than storing a silently trimmed resource.
    server.getFhirContext().setParserErrorHandler(new StrictErrorHandler());
    server.registerProviders(resourceProviders.createProviders());
    server.registerProvider(systemProvider);
    server.registerProvider(valueSetOperations);
    secondLookOperations.orderedStream().forEach(server::registerProvider);

    server.setServerName(SERVER_NAME);
    BuildProperties build = buildProperties.getIfAvailable();
    String version = build != null ? build.getVersion() : "development";
    server.setServerVersion(version);
    server.registerInterceptor(new CapabilityStatementCustomizer(version));
    server.setImplementationDescription(
        "SecondLook: cancer second-opinion referrals, signed packets and reviews");
    JpaCapabilityStatementProvider capabilityStatement =
        new DocumentingCapabilityStatementProvider(
            server,
            systemDao,
            storageSettings,
            searchParamRegistry,
            validationSupport,
            secondLookOperations
                .orderedStream()
                .flatMap(o -> o.documentedOperations().stream())
                .toList());
    capabilityStatement.setImplementationDescription(server.getImplementationDescription());
    server.setServerConformanceProvider(capabilityStatement);

    pagingProvider.setDefaultPageSize(properties.defaultPageSize());
    pagingProvider.setMaximumPageSize(properties.maxPageSize());
    server.setPagingProvider(pagingProvider);
    server.setDefaultResponseEncoding(EncodingEnum.JSON);
    server.registerInterceptor(new ResponseHighlighterInterceptor());
    // An OpenAPI description at /fhir/api-docs and a Swagger page at /fhir/swagger-ui/, made from
    // the CapabilityStatement and OperationDefinitions, for integrators trying the API.
    server.registerInterceptor(new OpenApiInterceptor());
    server.setServerAddressStrategy(
        properties.serverAddress().isBlank()
            ? new IncomingRequestAddressStrategy()
            : new HardcodedServerAddressStrategy(properties.serverAddress()));
    return server;
  }

  @Bean
  ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer fhirRestfulServer) {
    ServletRegistrationBean<RestfulServer> registration =
        new ServletRegistrationBean<>(fhirRestfulServer, "/fhir/*");
    registration.setName("secondlook-fhir");
    // Initialise at start so the first clinician's request does not pay for it.
    registration.setLoadOnStartup(1);
    return registration;
  }
}
