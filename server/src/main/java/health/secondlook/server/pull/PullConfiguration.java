package health.secondlook.server.pull;

import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Thread pools for the pull routes; each EHR's own concurrency limit applies inside them. */
@Configuration(proxyBeanMethods = false)
class PullConfiguration {

  static final String FETCH_POOL = "ehrFetchPool";

  @Bean(FETCH_POOL)
  ExecutorService ehrFetchPool(CamelContext camel, PullProperties properties) {
    return camel
        .getExecutorServiceManager()
        .newFixedThreadPool(this, "ehr-fetch", properties.fetchThreads());
  }
}
