package health.secondlook.server.smart;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.interfaces.ECPrivateKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads the private key SecondLook signs its SMART Backend Services client assertions with: a PEM
 * file (PKCS#8 {@code BEGIN PRIVATE KEY}, or the traditional RSA/EC forms) or a PKCS#12 store. The
 * key must be RSA (2048 bits or more) for RS384 or EC on P-384 for ES384. The result is a JWK
 * carrying the {@code kid} and {@code alg} the assertion's header will name.
 */
public final class SigningKeys {

  private static final int MINIMUM_RSA_BITS = 2048;

  // A provider instance, not a registered one: nothing else in the JVM changes behaviour.
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private SigningKeys() {}

  /**
   * @param file PEM or PKCS#12 file
   * @param keyId the JWS {@code kid}, as registered with the EHR
   * @param algorithm RS384 or ES384; {@code null} chooses by key type
   * @param password PKCS#12 store and key password; ignored for PEM
   * @param alias PKCS#12 entry; {@code null} for the store's only key
   * @throws IllegalArgumentException naming what is wrong with the key
   */
  public static JWK load(
      Path file, String keyId, SigningAlgorithm algorithm, String password, String alias) {
    KeyPair pair;
    try {
      pair = isPem(file) ? readPem(file) : readPkcs12(file, password, alias);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read a private key from " + file + ": " + e, e);
    }
    SigningAlgorithm chosen =
        algorithm != null ? algorithm : SigningAlgorithm.defaultFor(pair.getPrivate());
    return switch (chosen) {
      case RS384 -> rsa(pair, keyId, file);
      case ES384 -> ec(pair, keyId, file);
    };
  }

  private static JWK rsa(KeyPair pair, String keyId, Path file) {
    if (!(pair.getPublic() instanceof RSAPublicKey publicKey)) {
      throw new IllegalArgumentException(
          "RS384 needs an RSA key; " + file + " holds " + pair.getPrivate().getAlgorithm());
    }
    if (publicKey.getModulus().bitLength() < MINIMUM_RSA_BITS) {
      throw new IllegalArgumentException(
          "RSA key in " + file + " has " + publicKey.getModulus().bitLength() + " bits; use 2048+");
    }
    return new RSAKey.Builder(publicKey)
        .privateKey(pair.getPrivate())
        .keyID(keyId)
        .keyUse(KeyUse.SIGNATURE)
        .algorithm(SigningAlgorithm.RS384.jws())
        .build();
  }

  private static JWK ec(KeyPair pair, String keyId, Path file) {
    if (!(pair.getPublic() instanceof ECPublicKey publicKey)
        || !Curve.P_384.equals(Curve.forECParameterSpec(publicKey.getParams()))) {
      throw new IllegalArgumentException(
          "ES384 needs an EC key on curve P-384; " + file + " isn't");
    }
    return new ECKey.Builder(Curve.P_384, publicKey)
        .privateKey(pair.getPrivate())
        .keyID(keyId)
        .keyUse(KeyUse.SIGNATURE)
        .algorithm(SigningAlgorithm.ES384.jws())
        .build();
  }

  private static boolean isPem(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(64), StandardCharsets.US_ASCII).contains("-----BEGIN");
    }
  }

  private static KeyPair readPem(Path file) throws IOException, GeneralSecurityException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BC);
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object object = parser.readObject();
      if (object instanceof PEMKeyPair keyPair) {
        return converter.getKeyPair(keyPair);
      }
      if (object instanceof PrivateKeyInfo info) {
        PrivateKey privateKey = converter.getPrivateKey(info);
        return new KeyPair(publicKeyOf(privateKey), privateKey);
      }
      throw new GeneralSecurityException(
          "expected an unencrypted PKCS#8 private key (BEGIN PRIVATE KEY), found "
              + (object == null ? "nothing" : object.getClass().getSimpleName()));
    }
  }

  /** PKCS#8 carries only the private half; the JWK needs the public one too. */
  private static PublicKey publicKeyOf(PrivateKey key) throws GeneralSecurityException {
    if (key instanceof RSAPrivateCrtKey rsa) {
      return KeyFactory.getInstance("RSA", BC)
          .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
    }
    if (key instanceof ECPrivateKey ec) {
      var q = ec.getParameters().getG().multiply(ec.getD()).normalize();
      return KeyFactory.getInstance("EC", BC)
          .generatePublic(new ECPublicKeySpec(q, ec.getParameters()));
    }
    throw new GeneralSecurityException("unsupported key type " + key.getAlgorithm());
  }

  private static KeyPair readPkcs12(Path file, String password, String alias)
      throws IOException, GeneralSecurityException {
    char[] secret = password == null ? new char[0] : password.toCharArray();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, secret);
    }
    String entry = alias != null ? alias : onlyKeyAlias(store, file);
    if (!(store.getKey(entry, secret) instanceof PrivateKey privateKey)) {
      throw new GeneralSecurityException("no private key under alias '" + entry + "'");
    }
    return new KeyPair(store.getCertificate(entry).getPublicKey(), privateKey);
  }

  private static String onlyKeyAlias(KeyStore store, Path file) throws GeneralSecurityException {
    List<String> keys =
        Collections.list(store.aliases()).stream().filter(a -> isKey(store, a)).toList();
    if (keys.size() != 1) {
      throw new GeneralSecurityException(
          file + " holds " + keys.size() + " keys " + keys + "; set key-alias to choose one");
    }
    return keys.get(0);
  }

  private static boolean isKey(KeyStore store, String alias) {
    try {
      return store.isKeyEntry(alias);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
