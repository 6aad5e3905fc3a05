/**
 * Connections to referring EHRs: which EHRs exist ({@link
 * health.secondlook.server.ehr.EhrDirectory}), a HAPI FHIR client for each ({@link
 * health.secondlook.server.ehr.EhrClients}), and how a failed request is judged for retries and
 * described for {@code Task.statusReason} ({@link health.secondlook.server.ehr.EhrFailures}).
 *
 * <p>An EHR is configured by name alone, as command-line properties or environment variables. The
 * property {@code secondlook.ehrs.<name>.<setting>} has the environment form {@code
 * SECONDLOOK_EHRS_<NAME>_<SETTING>}: upper case, dots become underscores and dashes are dropped.
 * For example {@code --secondlook.ehrs.hospitala.auth.key-file=/keys/a.pem} and {@code
 * SECONDLOOK_EHRS_HOSPITALA_AUTH_KEYFILE=/keys/a.pem} set the same thing. An EHR named in the
 * environment is known by its lower-case name ({@code hospitala}), so names meant for the
 * environment use only letters and digits; {@code hospital-a} can be set on the command line or in
 * {@code application.yaml} only.
 *
 * <p>Settings, under {@code secondlook.ehrs.<name>.}: {@code base-url} (required); {@code
 * auth.mode} ({@code none}, {@code bearer}, {@code smart-backend}); {@code auth.token}; {@code
 * auth.client-id}, {@code auth.key-file}, {@code auth.key-password}, {@code auth.key-alias}, {@code
 * auth.key-id}, {@code auth.token-url}, {@code auth.algorithm}, {@code auth.scope}; {@code
 * limits.max-concurrency}, {@code limits.connect-timeout}, {@code limits.read-timeout}, {@code
 * limits.max-attempts}, {@code limits.initial-backoff}, {@code limits.max-backoff}, {@code
 * limits.max-binary-bytes}, {@code limits.page-size}; {@code mapping}. Defaults and meanings are in
 * {@link health.secondlook.server.ehr.EhrEndpointProperties} and the README's Configuration
 * section.
 */
package health.secondlook.server.ehr;
