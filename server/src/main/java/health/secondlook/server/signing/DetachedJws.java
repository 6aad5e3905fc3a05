package health.secondlook.server.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.util.Base64URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Compact JWS with a detached payload (RFC 7515 Appendix F): signed over {@code BASE64URL(header)
 * "." BASE64URL(payload)} like any JWS, sent as {@code header..signature}.
 */
final class DetachedJws {

  private DetachedJws() {}

  static String sign(JWSHeader header, ByteBuffer payload, JWSSigner signer) throws JOSEException {
    Base64URL encodedHeader = header.toBase64URL();
    Base64URL signature = signer.sign(header, signingInput(encodedHeader, payload));
    try {
      // Framed with an empty payload part, as it travels: given the payload, Nimbus would encode
      // all of it again only to leave it out.
      return new JWSObject(encodedHeader, new Base64URL(""), signature).serialize(true);
    } catch (ParseException e) {
      throw new JOSEException("cannot frame the JWS: " + e.getMessage(), e);
    }
  }

  /** The bytes the signature is over, built without a text copy of a 5 MB payload. */
  static byte[] signingInput(Base64URL encodedHeader, ByteBuffer payload) {
    byte[] header = encodedHeader.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] body = Base64.getUrlEncoder().withoutPadding().encode(payload.duplicate()).array();
    byte[] input = Arrays.copyOf(header, header.length + 1 + body.length);
    input[header.length] = '.';
    System.arraycopy(body, 0, input, header.length + 1, body.length);
    return input;
  }
}
