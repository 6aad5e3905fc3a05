/**
 * Packet signatures, the CDex way: {@code Bundle.signature} is a detached compact JWS (RS256 or
 * ES256; {@code x5c}, {@code sigT}, {@code srCms} in the header) over the RFC 8785 canonical form
 * of the Bundle without {@code id}, {@code meta} and {@code signature}.
 *
 * <p>The core has no Spring or Camel in it, so it runs from the command line and in plain tests:
 * {@link health.secondlook.server.signing.BundleSigner} signs, {@link
 * health.secondlook.server.signing.BundleVerifier} verifies against {@link
 * health.secondlook.server.signing.TrustAnchors}, {@link
 * health.secondlook.server.signing.CanonicalForm} says what is signed, {@link
 * health.secondlook.server.signing.SigningKeyFiles} and {@link
 * health.secondlook.server.signing.DemoKeys} provide keys, {@link
 * health.secondlook.server.signing.SigningKeyRing} holds the current and retired ones, and {@link
 * health.secondlook.server.signing.VerifyCommand} is the command-line verifier.
 *
 * <p>The Spring side is five classes: {@code SigningProperties} and {@code SigningConfiguration}
 * ({@code secondlook.signing.*}), {@link health.secondlook.server.signing.PacketSignatures} (the
 * bean the loop signs with), {@code SignatureOperations} ({@code Bundle/$verify-signature}) and
 * {@code JwksController} ({@code /.well-known/jwks.json}).
 */
package health.secondlook.server.signing;
