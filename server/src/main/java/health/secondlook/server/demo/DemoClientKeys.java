package health.secondlook.server.demo;

import health.secondlook.server.signing.DemoKeys;
import java.nio.file.Path;
import java.util.List;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Demo only: makes the private keys SecondLook authenticates to the sandbox with by {@code
 * private_key_jwt} (the Backend Services client that pulls and writes back, and the specialist's
 * EHR launch), listed in {@value #PROPERTY}, on first start. It runs before any bean is made,
 * because the EHR and recipient settings check at start-up that their key files exist. The sandbox
 * registers the public halves of the same keys.
 */
final class DemoClientKeys implements BeanFactoryPostProcessor {

  static final String PROPERTY = "secondlook.demo.client-keys";

  private final Environment environment;

  DemoClientKeys(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    Binder.get(environment)
        .bind(PROPERTY, Bindable.listOf(Path.class))
        .orElse(List.of())
        .forEach(DemoKeys::ensurePrivateKey);
  }
}
