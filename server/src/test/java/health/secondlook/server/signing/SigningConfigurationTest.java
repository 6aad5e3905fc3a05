package health.secondlook.server.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * {@code secondlook.signing.*} turned into keys at start: a configured store, demo keys, rotation,
 * and start-up failures that name the setting.
 */
class SigningConfigurationTest {

  // PacketSignatures signs at the real time.
  private static final TestPki PKI =
      new TestPki(
          "Configuration test",
          java.time.Instant.now().minus(java.time.Duration.ofDays(1)),
          java.time.Instant.now().plus(java.time.Duration.ofDays(30)));

  @TempDir Path directory;

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withUserConfiguration(Signing.class)
        .withPropertyValues("secondlook.data-dir=" + directory);
  }

  @Test
  void aConfiguredStoreSignsAndItsRetiredKeysStayPublished() throws Exception {
    SigningIdentity current = PKI.rsa();
    SigningIdentity retired = PKI.ec();
    Path store = TestPki.writePkcs12(current, "from-the-environment", directory);
    Path previous = directory.resolve("retired.pem");
    Certificates.write(retired.chain(), previous);

    runner()
        .withPropertyValues(
            "secondlook.signing.key-store=" + store,
            "secondlook.signing.key-password=from-the-environment",
            "secondlook.signing.previous-certificates=" + previous)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              PacketSignatures signatures = context.getBean(PacketSignatures.class);
              Bundle bundle = signatures.sign(TestPackets.document());
              assertThat(signatures.verify(bundle).problems()).isEmpty();
              assertThat(bundle.getSignature().getWho().getType()).isEqualTo("Device");
              assertThat(context.getBean(SigningKeyRing.class).jwks().getKeys())
                  .extracting(key -> key.getKeyID())
                  .containsExactly(current.keyId(), retired.keyId());
            });
  }

  @Test
  void demoModeMakesKeysInTheDataDirectoryAndTrustsItsCa() {
    runner()
        .withPropertyValues("secondlook.signing.generate-demo-keys=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(directory.resolve("keys/ca.pem")).isRegularFile();
              PacketSignatures signatures = context.getBean(PacketSignatures.class);
              assertThat(signatures.verify(signatures.sign(TestPackets.document())).valid())
                  .isTrue();
            });
  }

  @Test
  void withoutKeysPacketsAreRefusedSigningButTrustedCasStillVerify() {
    Path ca = directory.resolve("partner-ca.pem");
    Certificates.write(java.util.List.of(PKI.root.certificate()), ca);
    Bundle partnerPacket = TestPackets.document();
    new BundleSigner(PKI.rsa())
        .sign(
            partnerPacket,
            SignatureRole.AUTHOR,
            java.time.Instant.now(),
            new org.hl7.fhir.r4.model.Reference("Organization/partner"));

    runner()
        .withPropertyValues("secondlook.signing.trust-anchors=" + ca)
        .run(
            context -> {
              PacketSignatures signatures = context.getBean(PacketSignatures.class);
              assertThat(signatures.canSign()).isFalse();
              assertThatThrownBy(() -> signatures.sign(TestPackets.document()))
                  .hasMessageContaining("secondlook.signing.key-store");
              assertThat(signatures.verify(partnerPacket).problems()).isEmpty();
              assertThat(directory.resolve("keys")).doesNotExist();
            });
  }

  @Test
  void aMissingFileStopsStartNamingTheSetting() {
    runner()
        .withPropertyValues("secondlook.signing.key-store=" + directory.resolve("nowhere.p12"))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("secondlook.signing.key-store: file not found"));
    runner()
        .withPropertyValues("secondlook.signing.key-file=" + directory.resolve("key.pem"))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("secondlook.signing.certificate-chain-file"));
  }

  @Test
  void aWrongPasswordStopsStartNamingTheFile() throws Exception {
    Path store = TestPki.writePkcs12(PKI.rsa(), "right", directory);
    runner()
        .withPropertyValues(
            "secondlook.signing.key-store=" + store, "secondlook.signing.key-password=wrong")
        .run(context -> assertThat(context).getFailure().hasMessageContaining(store.toString()));
  }

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(SigningProperties.class)
  @Import({SigningConfiguration.class, PacketSignatures.class})
  static class Signing {}
}
