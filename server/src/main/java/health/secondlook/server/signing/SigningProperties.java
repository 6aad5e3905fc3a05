package health.secondlook.server.signing;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Packet-signing settings ({@code secondlook.signing.*}). The key comes either from a PKCS#12 store
 * or from a PEM key beside a PEM chain; without either, demo mode may generate one.
 *
 * @param keyStore PKCS#12 store holding the signing key and its chain
 * @param keyPassword password of the store, or of an encrypted PEM key; give it in the environment
 *     ({@code SECONDLOOK_SIGNING_KEYPASSWORD})
 * @param keyAlias the store's entry; by default its only key
 * @param keyFile PEM private key, instead of a store
 * @param certificateChainFile PEM certificates of {@code keyFile}, signing certificate first
 * @param algorithm JWS algorithm (RS256, ES256, RS384, ES384, PS256); by default RS256 for RSA
 *     keys, ES256 / ES384 for EC keys on P-256 / P-384
 * @param trustAnchors PEM CA certificates whose signers' packets verify, beside the CAs of
 *     SecondLook's own keys
 * @param previousCertificates PEM chains of retired signing keys: still published, still verified
 * @param generateDemoKeys with no key configured, make a demo CA and signing key under {@code
 *     ${secondlook.data-dir}/keys} (the demo profile sets it)
 */
@ConfigurationProperties("secondlook.signing")
record SigningProperties(
    Path keyStore,
    String keyPassword,
    String keyAlias,
    Path keyFile,
    Path certificateChainFile,
    String algorithm,
    @DefaultValue List<Path> trustAnchors,
    @DefaultValue List<Path> previousCertificates,
    boolean generateDemoKeys) {}
