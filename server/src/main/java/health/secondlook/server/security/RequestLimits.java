package health.secondlook.server.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What one request to SecondLook's FHIR API may cost ({@code secondlook.security.limits}). A
 * request over a bound is refused with a 4xx OperationOutcome naming the setting.
 *
 * @param maxBodySize largest request body
 * @param maxJsonDepth deepest nesting of JSON objects and arrays in a body
 * @param maxTextLength longest JSON string, except attachment {@code data} and narrative {@code
 *     div}
 * @param maxDataLength longest attachment {@code data} or narrative {@code div}
 * @param maxBundleEntries most entries in a Bundle sent (a packet to verify, say)
 * @param maxTransactionEntries most entries in a transaction or batch
 * @param maxChainDepth most links in a chained search parameter ({@code subject.organization} is 2)
 * @param maxIncludes most {@code _include} and {@code _revinclude} values in one search
 * @param maxSearchParameters most search parameters, and values, in one search
 * @param maxParameterLength longest search parameter value
 * @param maxInFlightPerClient most requests one client may have running at once
 */
@ConfigurationProperties("secondlook.security.limits")
public record RequestLimits(
    @DefaultValue("20MB") DataSize maxBodySize,
    @DefaultValue("64") int maxJsonDepth,
    @DefaultValue("65536") int maxTextLength,
    @DefaultValue("8388608") int maxDataLength,
    @DefaultValue("20000") int maxBundleEntries,
    @DefaultValue("200") int maxTransactionEntries,
    @DefaultValue("2") int maxChainDepth,
    @DefaultValue("4") int maxIncludes,
    @DefaultValue("40") int maxSearchParameters,
    @DefaultValue("1024") int maxParameterLength,
    @DefaultValue("8") int maxInFlightPerClient) {}
