package health.secondlook.server.signing;

import com.nimbusds.jose.JWSAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring side of signing: loads the keys named in {@link SigningProperties} (or demo keys) once at
 * start, failing with the setting's name if a file is missing or wrong, and provides the {@link
 * SigningKeyRing} and the {@link BundleVerifier} that trusts the configured CAs and SecondLook's
 * own.
 */
@Configuration(proxyBeanMethods = false)
class SigningConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SigningConfiguration.class);

  @Bean
  SigningKeyRing signingKeyRing(
      SigningProperties properties, @Value("${secondlook.data-dir}") Path dataDirectory) {
    SigningIdentity current = currentIdentity(properties, dataDirectory);
    List<List<X509Certificate>> previous =
        properties.previousCertificates().stream()
            .map(file -> Certificates.read(existing("previous-certificates", file)))
            .toList();
    if (current == null) {
      log.warn(SigningKeyMissingException.MESSAGE);
    } else {
      log.info(
          "Packet signing key {} ({}), certificate {}",
          current.keyId(),
          current.alg(),
          current.certificate().getSubjectX500Principal().getName());
    }
    return new SigningKeyRing(current, previous);
  }

  @Bean
  BundleVerifier bundleVerifier(SigningProperties properties, SigningKeyRing keys) {
    properties.trustAnchors().forEach(file -> existing("trust-anchors", file));
    TrustAnchors trust =
        TrustAnchors.fromPemFiles(properties.trustAnchors()).and(TrustAnchors.of(keys.roots()));
    if (trust.isEmpty()) {
      log.warn("No trust anchors (secondlook.signing.trust-anchors): no signature will verify");
    }
    return new BundleVerifier(trust);
  }

  private static SigningIdentity currentIdentity(SigningProperties properties, Path dataDirectory) {
    JWSAlgorithm alg =
        properties.algorithm() == null ? null : JWSAlgorithm.parse(properties.algorithm());
    char[] password =
        properties.keyPassword() == null ? null : properties.keyPassword().toCharArray();
    if (properties.keyStore() != null && properties.keyFile() != null) {
      throw new IllegalStateException(
          "secondlook.signing: set key-store or key-file (with certificate-chain-file), not both");
    }
    try {
      if (properties.keyStore() != null) {
        return SigningKeyFiles.pkcs12(
            existing("key-store", properties.keyStore()),
            password == null ? new char[0] : password,
            properties.keyAlias(),
            alg);
      }
      if (properties.keyFile() != null) {
        if (properties.certificateChainFile() == null) {
          throw new IllegalStateException(
              "secondlook.signing.certificate-chain-file: required with key-file");
        }
        return SigningKeyFiles.pem(
            existing("key-file", properties.keyFile()),
            existing("certificate-chain-file", properties.certificateChainFile()),
            password,
            alg);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("secondlook.signing: " + e.getMessage(), e);
    }
    if (properties.generateDemoKeys()) {
      Path keys = dataDirectory.resolve("keys");
      log.info(
          "Demo packet-signing keys in {} (trust anchor: {})", keys, keys.resolve(DemoKeys.CA));
      return DemoKeys.ensure(keys);
    }
    return null;
  }

  private static Path existing(String setting, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          "secondlook.signing." + setting + ": file not found: " + file);
    }
    return file;
  }
}
