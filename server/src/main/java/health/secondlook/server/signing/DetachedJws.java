package health.secondlook.server.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.util.Base64URL;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.SignatureException;
import java.text.ParseException;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Compact JWS with a detached payload (RFC 7515 Appendix F): signed over {@code BASE64URL(header)
 * "." BASE64URL(payload)} like any JWS, sent as {@code header..signature}. The signing input of a 5
 * MB packet is never built as a whole: it is encoded and hashed in pieces, on a second thread,
 * while the canonical form is still being written.
 */
final class DetachedJws {

  /** Hashes the signing input beside the thread writing the payload; daemon threads. */
  private static final ExecutorService SIGNING_INPUT =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "jws-signing-input");
            thread.setDaemon(true);
            return thread;
          });

  private DetachedJws() {}

  /**
   * Signs the payload {@code payload} writes.
   *
   * @param signature a JCA signature of the header's algorithm ({@link Algorithms#jcaSigner}),
   *     initialised for signing, used once
   */
  static String sign(
      JWSHeader header, Consumer<CanonicalJsonWriter.Sink> payload, Signature signature)
      throws JOSEException {
    Base64URL encodedHeader = header.toBase64URL();
    byte[] signed = overSigningInput(encodedHeader, payload, signature, Signature::sign);
    try {
      return new JWSObject(encodedHeader, new Base64URL(""), Base64URL.encode(signed))
          .serialize(true);
    } catch (ParseException e) {
      throw new JOSEException("cannot frame the JWS: " + e.getMessage(), e);
    }
  }

  /**
   * Whether {@code signature} is over the header as it was sent and the payload {@code payload}
   * writes.
   *
   * @param verifier a JCA signature of the header's algorithm ({@link Algorithms#jcaVerifier}),
   *     initialised for verifying, used once
   */
  static boolean verify(
      Base64URL encodedHeader,
      Consumer<CanonicalJsonWriter.Sink> payload,
      Signature verifier,
      Base64URL signature)
      throws JOSEException {
    return overSigningInput(encodedHeader, payload, verifier, s -> s.verify(signature.decode()));
  }

  private interface LastStep<T> {
    T apply(Signature signature) throws SignatureException;
  }

  /**
   * Feeds {@code BASE64URL(header) "." BASE64URL(payload)} into {@code signature} on a second
   * thread, piece by piece while the payload is written, then takes the last step there.
   */
  private static <T> T overSigningInput(
      Base64URL encodedHeader,
      Consumer<CanonicalJsonWriter.Sink> payload,
      Signature signature,
      LastStep<T> last)
      throws JOSEException {
    BlockingQueue<Piece> pieces = new LinkedBlockingQueue<>();
    Future<T> done =
        SIGNING_INPUT.submit(
            () -> {
              signature.update(encodedHeader.toString().getBytes(StandardCharsets.US_ASCII));
              signature.update((byte) '.');
              try (OutputStream encoded =
                  Base64.getUrlEncoder().withoutPadding().wrap(new SignatureInput(signature))) {
                for (Piece piece = pieces.take(); piece != Piece.END; piece = pieces.take()) {
                  encoded.write(piece.bytes(), piece.from(), piece.to() - piece.from());
                }
              }
              return last.apply(signature);
            });
    try {
      payload.accept((bytes, from, to) -> pieces.add(new Piece(bytes, from, to)));
    } finally {
      pieces.add(Piece.END);
    }
    try {
      return done.get();
    } catch (ExecutionException e) {
      throw new JOSEException(String.valueOf(e.getCause().getMessage()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JOSEException("interrupted while signing or verifying", e);
    }
  }

  /** {@code bytes[from, to)} of the payload, unchanged once handed over. */
  private record Piece(byte[] bytes, int from, int to) {
    static final Piece END = new Piece(new byte[0], 0, 0);
  }

  /** Feeds what is written to it into the signature. */
  private static final class SignatureInput extends OutputStream {
    private final Signature signature;

    SignatureInput(Signature signature) {
      this.signature = signature;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        signature.update(b, off, len);
      } catch (SignatureException e) {
        throw new IOException(e);
      }
    }
  }
}
