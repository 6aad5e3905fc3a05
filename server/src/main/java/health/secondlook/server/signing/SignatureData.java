package health.secondlook.server.signing;

import static health.secondlook.server.signing.ProblemCode.MALFORMED_SIGNATURE;
import static health.secondlook.server.signing.ProblemCode.NO_SIGNATURE;
import static health.secondlook.server.signing.ProblemCode.UNSUPPORTED_ALGORITHM;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.X509CertChainUtils;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Signature;

/**
 * The JWS in a {@code Bundle.signature}, read and checked for form before anything is verified: a
 * detached compact JWS, an accepted algorithm that fits the signer's key, a certificate chain, no
 * critical header SecondLook does not know.
 */
final class SignatureData {

  private final JWSObject jws;
  private final List<X509Certificate> chain;

  private SignatureData(JWSObject jws, List<X509Certificate> chain) {
    this.jws = jws;
    this.chain = chain;
  }

  static SignatureData read(Signature signature) throws Unreadable {
    if (signature == null || !signature.hasData()) {
      throw new Unreadable(NO_SIGNATURE, "the Bundle is not signed", null);
    }
    if (signature.hasSigFormat() && !BundleSigner.SIG_FORMAT.equals(signature.getSigFormat())) {
      throw malformed(
          "sigFormat is " + signature.getSigFormat() + "; expected " + BundleSigner.SIG_FORMAT);
    }
    String compact = new String(signature.getData(), StandardCharsets.US_ASCII);
    String[] parts = compact.split("\\.", -1);
    if (parts.length != 3) {
      throw malformed("the signature data is not a compact JWS");
    }
    if (!parts[1].isEmpty()) {
      throw malformed("the JWS carries a payload; a packet signature's payload is detached");
    }
    checkAlgorithm(parts[0]);
    JWSObject jws;
    List<X509Certificate> chain;
    try {
      jws = JWSObject.parse(compact);
      chain =
          jws.getHeader().getX509CertChain() == null
              ? List.of()
              : X509CertChainUtils.parse(jws.getHeader().getX509CertChain());
    } catch (ParseException e) {
      throw malformed("the JWS cannot be read: " + e.getMessage());
    }
    if (chain.isEmpty()) {
      throw malformed("the JWS header carries no signer certificate (x5c)");
    }
    SignatureData data = new SignatureData(jws, chain);
    data.checkFits();
    return data;
  }

  JWSObject jws() {
    return jws;
  }

  JWSHeader header() {
    return jws.getHeader();
  }

  /** Signer first, as in {@code x5c}. */
  List<X509Certificate> chain() {
    return chain;
  }

  X509Certificate signer() {
    return chain.get(0);
  }

  /** Before the JWS is parsed, so that {@code none} and HMAC are named whatever else is wrong. */
  private static void checkAlgorithm(String encodedHeader) throws Unreadable {
    String alg;
    try {
      alg =
          JSONObjectUtils.getString(
              JSONObjectUtils.parse(new Base64URL(encodedHeader).decodeToString()), "alg");
    } catch (ParseException e) {
      throw malformed("the JWS header is not JSON");
    }
    if (alg == null) {
      throw new Unreadable(UNSUPPORTED_ALGORITHM, "the JWS header names no alg", null);
    }
    if (!Algorithms.SUPPORTED.contains(JWSAlgorithm.parse(alg))) {
      String reason =
          alg.equals("none")
              ? "alg none: the JWS is not signed at all"
              : alg.startsWith("HS")
                  ? alg + " is an HMAC, which anyone holding the shared secret can forge"
                  : "alg " + alg + " is not accepted";
      throw new Unreadable(
          UNSUPPORTED_ALGORITHM, reason + "; packets are signed with RS256 or ES256", null);
    }
  }

  private void checkFits() throws Unreadable {
    JWSAlgorithm alg = header().getAlgorithm();
    if (!Algorithms.fits(alg, signer().getPublicKey())) {
      throw new Unreadable(
          MALFORMED_SIGNATURE,
          alg
              + " does not fit the signer certificate's "
              + signer().getPublicKey().getAlgorithm()
              + " key",
          signer());
    }
    Set<String> unknown =
        new TreeSet<>(
            header().getCriticalParams() == null ? Set.of() : header().getCriticalParams());
    unknown.removeAll(BundleSigner.CRITICAL);
    if (!unknown.isEmpty()) {
      throw new Unreadable(
          MALFORMED_SIGNATURE,
          "the JWS header marks " + unknown + " critical, which this verifier does not understand",
          signer());
    }
  }

  private static Unreadable malformed(String message) {
    return new Unreadable(MALFORMED_SIGNATURE, message, null);
  }

  /** The signature cannot be checked at all; the result says why. */
  static final class Unreadable extends Exception {
    private final transient VerificationResult result;

    Unreadable(ProblemCode code, String message, X509Certificate signer) {
      super(message, null, false, false);
      this.result =
          new VerificationResult(
              List.of(new VerificationResult.Problem(code, message)), signer, null);
    }

    VerificationResult result() {
      return result;
    }
  }
}
