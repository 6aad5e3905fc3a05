package health.secondlook.server.ehr;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

// TEMPORARY stand-in until the ehr-connections branch is merged.
@Component
public class EhrDirectory {
  private final Map<String, EhrEndpoint> endpoints = new TreeMap<>();

  EhrDirectory(Environment env) {
    for (String name :
        org.springframework.boot.context.properties.bind.Binder.get(env)
            .bind(
                "secondlook.ehrs",
                org.springframework.boot.context.properties.bind.Bindable.mapOf(
                    String.class, Object.class))
            .orElse(Map.of())
            .keySet()) {
      String base = env.getProperty("secondlook.ehrs." + name + ".base-url");
      if (base == null) continue;
      String p = "secondlook.ehrs." + name + ".limits.";
      endpoints.put(
          name,
          new EhrEndpoint(
              name,
              URI.create(base),
              new EhrEndpoint.Limits(
                  4,
                  Duration.ofSeconds(5),
                  env.getProperty(p + "read-timeout", Duration.class, Duration.ofSeconds(30)),
                  env.getProperty(p + "max-attempts", Integer.class, 6),
                  env.getProperty(p + "initial-backoff", Duration.class, Duration.ofMillis(500)),
                  env.getProperty(p + "max-backoff", Duration.class, Duration.ofSeconds(30)),
                  10 << 20,
                  100),
              "r4-default"));
    }
  }

  public Optional<EhrEndpoint> find(String name) {
    return Optional.ofNullable(endpoints.get(name));
  }

  public Set<String> names() {
    return endpoints.keySet();
  }
}
