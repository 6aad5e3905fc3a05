package health.secondlook.server.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar secondlook-server.jar verify packet.json --trust ca.pem}, run in-process. */
class VerifyCommandTest {

  private static final TestPki PKI = new TestPki("Command test");

  @TempDir Path directory;

  private Path packet;
  private Path ca;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void signedPacketAndItsCa() throws Exception {
    Bundle bundle = TestPackets.document();
    new BundleSigner(PKI.rsa())
        .sign(bundle, SignatureRole.AUTHOR, TestPki.NOW, new Reference("Organization/referrer"));
    packet = Files.writeString(directory.resolve("packet.json"), TestPackets.json(bundle));
    ca = directory.resolve("ca.pem");
    Certificates.write(List.of(PKI.root.certificate()), ca);
  }

  @Test
  void aValidPacketExitsZeroNamingTheSigner() {
    int exit = run(packet.toString(), "--trust", ca.toString());

    assertThat(exit).isEqualTo(0);
    assertThat(out())
        .startsWith("VALID: the signature of " + packet + " verifies")
        .contains("signer:    CN=Test packet signer,O=SecondLook tests")
        .contains("signed at: 2025-06-02T09:30:00Z");
  }

  @Test
  void aChangedPacketExitsOneWithTheReason() throws Exception {
    Files.writeString(
        packet,
        Files.readString(packet).replace("Second opinion request", "Second opinion, no rush"));

    assertThat(run(packet.toString(), "--trust", ca.toString())).isEqualTo(1);
    assertThat(out())
        .startsWith("INVALID: the signature of " + packet + " does not verify (1 problem)")
        .contains("  digest-mismatch: the signature does not match the Bundle's content");
  }

  @Test
  void anotherCaExitsOneAsUntrusted() {
    Path otherCa = directory.resolve("other-ca.pem");
    Certificates.write(List.of(new TestPki("Other").root.certificate()), otherCa);

    assertThat(run(packet.toString(), "--trust", otherCa.toString())).isEqualTo(1);
    assertThat(out()).contains("untrusted-chain:");
  }

  @Test
  void usageAndFileErrorsExitTwo() throws Exception {
    assertThat(run(packet.toString())).isEqualTo(2);
    assertThat(err()).contains("--trust").contains("usage:");

    assertThat(run(directory.resolve("missing.json").toString(), "--trust", ca.toString()))
        .isEqualTo(2);
    assertThat(err()).contains("missing.json");

    Path patient =
        Files.writeString(directory.resolve("patient.json"), "{\"resourceType\":\"Patient\"}");
    assertThat(run(patient.toString(), "--trust", ca.toString())).isEqualTo(2);
    assertThat(err()).contains("not a FHIR R4 Bundle");

    assertThat(run(packet.toString(), "--trust", packet.toString())).isEqualTo(2);
  }

  /** The arguments after {@code verify}. */
  private int run(String... args) {
    out.reset();
    err.reset();
    return VerifyCommand.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
