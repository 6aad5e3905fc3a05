package health.secondlook.server.signing;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command-line verifier for a specialist's team without SecondLook: {@code java -jar
 * secondlook-server.jar verify packet.json --trust ca.pem}. It checks the packet's signature
 * against the given CA certificates, with no server and no Spring, prints the verdict and its
 * reasons, and exits 0 if valid, 1 if not, 2 on a usage or file error.
 */
public final class VerifyCommand {

  public static final int VALID = 0;
  public static final int INVALID = 1;
  public static final int ERROR = 2;

  static final String USAGE =
      """
      usage: java -jar secondlook-server.jar verify <packet.json> --trust <ca.pem> [--trust <ca.pem> ...]
        Verifies the signature of a SecondLook packet (a FHIR R4 document Bundle in JSON) against the
        CA certificates given with --trust (PEM). Exit code 0: valid; 1: invalid; 2: usage or file error.""";

  private VerifyCommand() {}

  /** Runs from {@code SecondLookApplication.main} with the arguments after {@code verify}. */
  public static void main(String[] args) {
    // Without Spring Boot's logging set-up, Logback would print HAPI's debug lines to the console.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "secondlook-verify-logback.xml");
    }
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Path packet = null;
    List<Path> trust = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--trust") && i + 1 < args.length) {
        trust.add(Path.of(args[++i]));
      } else if (args[i].equals("--help") || args[i].equals("-h")) {
        out.println(USAGE);
        return ERROR;
      } else if (!args[i].startsWith("--") && packet == null) {
        packet = Path.of(args[i]);
      } else {
        err.println("unexpected argument: " + args[i]);
        err.println(USAGE);
        return ERROR;
      }
    }
    if (packet == null || trust.isEmpty()) {
      err.println(packet == null ? "no packet file given" : "no CA certificate given (--trust)");
      err.println(USAGE);
      return ERROR;
    }
    String json;
    TrustAnchors anchors;
    try {
      json = Files.readString(packet, StandardCharsets.UTF_8);
      anchors = TrustAnchors.fromPemFiles(trust);
    } catch (IOException e) {
      err.println("cannot read " + packet + ": " + e.getMessage());
      return ERROR;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return ERROR;
    }
    VerificationResult result;
    try {
      result = new BundleVerifier(anchors).verifyJson(json);
    } catch (IllegalArgumentException e) {
      err.println(packet + ": " + e.getMessage());
      return ERROR;
    }
    report(packet, result, out);
    return result.valid() ? VALID : INVALID;
  }

  private static void report(Path packet, VerificationResult result, PrintStream out) {
    if (result.valid()) {
      out.println("VALID: the signature of " + packet + " verifies");
    } else {
      int count = result.problems().size();
      out.println(
          "INVALID: the signature of "
              + packet
              + " does not verify ("
              + count
              + (count == 1 ? " problem)" : " problems)"));
      for (VerificationResult.Problem problem : result.problems()) {
        out.println("  " + problem.code().code() + ": " + problem.message());
      }
    }
    if (result.signer() != null) {
      out.println("  signer:    " + result.signerName());
      out.println("  issued by: " + result.signer().getIssuerX500Principal().getName());
    }
    if (result.signedAt() != null) {
      out.println("  signed at: " + result.signedAt());
    }
  }
}
