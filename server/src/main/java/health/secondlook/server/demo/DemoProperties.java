package health.secondlook.server.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Demo mode settings. The demo's client keys ({@code secondlook.demo.client-keys}) are read by
 * {@link DemoClientKeys}, because they must exist before any settings are bound.
 *
 * @param sandboxPageSize search page size of the sandbox EHR, small so paging is exercised
 */
@ConfigurationProperties("secondlook.demo")
record DemoProperties(@DefaultValue("10") int sandboxPageSize) {}
