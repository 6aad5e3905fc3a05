package health.secondlook.server.demo;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Demo mode settings.
 *
 * @param sandboxPageSize search page size of the sandbox EHR, small so paging is exercised
 * @param clientKeys private keys of SecondLook's {@code private_key_jwt} clients of the sandbox,
 *     made on first start where missing (by {@link DemoClientKeys}, before this is bound)
 */
@ConfigurationProperties("secondlook.demo")
record DemoProperties(@DefaultValue("10") int sandboxPageSize, List<Path> clientKeys) {}
