package health.secondlook.server.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Demo mode makes its CA and signing key once, keeps the secrets private, and reuses them. */
class DemoKeysTest {

  @TempDir Path dataDirectory;

  @Test
  void firstStartMakesACaAndASigningKeyThatVerifyTogether() throws Exception {
    Path keys = dataDirectory.resolve("keys");

    SigningIdentity identity = DemoKeys.ensure(keys);

    assertThat(keys.resolve("signing.p12")).isRegularFile();
    assertThat(keys.resolve("ca.pem")).isRegularFile();
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(keys.resolve("signing.p12.password"))))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(keys.resolve("signing.p12"))))
        .isEqualTo("rw-------");
    assertThat(identity.alg()).isEqualTo(JWSAlgorithm.RS256);

    X509Certificate ca = Certificates.read(keys.resolve("ca.pem")).get(0);
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    X509Certificate signing = identity.certificate();
    assertThat(signing.getBasicConstraints()).isEqualTo(-1);
    assertThat(signing.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(identity.chain()).containsExactly(signing, ca);

    Bundle bundle = TestPackets.document();
    new BundleSigner(identity)
        .sign(bundle, SignatureRole.AUTHOR, Instant.now(), new Reference("Device/demo"));
    assertThat(
            new BundleVerifier(TrustAnchors.fromPemFiles(List.of(keys.resolve("ca.pem"))))
                .verify(bundle)
                .problems())
        .isEmpty();
  }

  @Test
  void laterStartsReuseTheKeysAndRestoreAMissingCaCertificate() throws Exception {
    Path keys = dataDirectory.resolve("keys");
    SigningIdentity first = DemoKeys.ensure(keys);
    byte[] store = Files.readAllBytes(keys.resolve("signing.p12"));
    String ca = Files.readString(keys.resolve("ca.pem"));

    SigningIdentity second = DemoKeys.ensure(keys);
    Files.delete(keys.resolve("ca.pem"));
    SigningIdentity third = DemoKeys.ensure(keys);

    assertThat(second.keyId()).isEqualTo(first.keyId());
    assertThat(third.keyId()).isEqualTo(first.keyId());
    assertThat(Files.readAllBytes(keys.resolve("signing.p12"))).isEqualTo(store);
    assertThat(Files.readString(keys.resolve("ca.pem"))).isEqualTo(ca);
  }
}
