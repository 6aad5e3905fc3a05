package health.secondlook.server.ehr;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The referring EHRs SecondLook may pull records from, by name: {@code secondlook.ehrs.<name>.*}.
 * Checked as it is bound, so a misconfigured endpoint stops start-up with a message naming the
 * property, e.g. {@code secondlook.ehrs.hospital-a.auth.key-file: file not found: /x.pem}. See
 * {@link health.secondlook.server.ehr} for the property and environment variable names.
 *
 * @param ehrs endpoint settings by EHR name
 */
@ConfigurationProperties("secondlook")
public record EhrProperties(Map<String, EhrEndpointProperties> ehrs) {

  static final String PREFIX = "secondlook.ehrs";

  public EhrProperties {
    ehrs = Collections.unmodifiableMap(new TreeMap<>(ehrs == null ? Map.of() : ehrs));
    List<String> problems =
        ehrs.entrySet().stream().flatMap(e -> e.getValue().problems(e.getKey()).stream()).toList();
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }
}
