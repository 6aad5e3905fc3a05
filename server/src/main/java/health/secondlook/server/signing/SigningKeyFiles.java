package health.secondlook.server.signing;

import com.nimbusds.jose.JWSAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Loads the packet-signing key and its certificate chain from the files an operator configures: a
 * PKCS#12 store, or a PEM private key (PKCS#8, plain or encrypted, or the traditional RSA/EC forms)
 * beside a PEM chain, leaf first. The key must match the chain's first certificate.
 */
public final class SigningKeyFiles {

  // Decrypts PEM keys (AES/CBC/PKCS7Padding is Bouncy Castle's); an instance, so that nothing
  // else in the JVM changes provider.
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private SigningKeyFiles() {}

  /**
   * @param password the store's (and key's) password; {@code null} for none
   * @param alias the key's entry; {@code null} for the store's only key
   * @param alg {@code null} to choose by key type (RS256 for RSA, ES256 on P-256)
   * @throws IllegalArgumentException naming the file and what is wrong
   */
  public static SigningIdentity pkcs12(
      Path store, char[] password, String alias, JWSAlgorithm alg) {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(in, password);
      String entry = alias != null ? alias : onlyKey(keyStore, store);
      if (!(keyStore.getKey(entry, password) instanceof PrivateKey key)) {
        throw new IllegalArgumentException(
            store + " has no private key under alias '" + entry + "'");
      }
      Certificate[] chain = keyStore.getCertificateChain(entry);
      if (chain == null || chain.length == 0) {
        throw new IllegalArgumentException(store + " has no certificate for '" + entry + "'");
      }
      return identity(
          key, Arrays.stream(chain).map(X509Certificate.class::cast).toList(), alg, store);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the signing key from " + store + ": " + e, e);
    }
  }

  /**
   * @param password the key file's password if it is encrypted; {@code null} otherwise
   * @param alg {@code null} to choose by key type
   * @throws IllegalArgumentException naming the file and what is wrong
   */
  public static SigningIdentity pem(
      Path keyFile, Path chainFile, char[] password, JWSAlgorithm alg) {
    return identity(readPemKey(keyFile, password), Certificates.read(chainFile), alg, keyFile);
  }

  private static SigningIdentity identity(
      PrivateKey key, List<X509Certificate> chain, JWSAlgorithm alg, Path file) {
    if (!matches(key, chain.get(0))) {
      throw new IllegalArgumentException(
          "the private key in "
              + file
              + " does not belong to the certificate "
              + chain.get(0).getSubjectX500Principal());
    }
    JWSAlgorithm chosen = alg != null ? alg : Algorithms.defaultFor(chain.get(0).getPublicKey());
    return new SigningIdentity(key, chain, Certificates.thumbprint(chain.get(0)), chosen);
  }

  /** Signs a probe and checks it against the certificate's public key. */
  private static boolean matches(PrivateKey key, X509Certificate certificate) {
    try {
      String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      byte[] probe = "secondlook".getBytes(StandardCharsets.US_ASCII);
      java.security.Signature signer = java.security.Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static PrivateKey readPemKey(Path file, char[] password) {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object object = parser.readObject();
      if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
        object =
            encrypted.decryptPrivateKeyInfo(
                new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(BC)
                    .build(required(password, file)));
      } else if (object instanceof PEMEncryptedKeyPair encrypted) {
        object =
            encrypted.decryptKeyPair(
                new JcePEMDecryptorProviderBuilder()
                    .setProvider(BC)
                    .build(required(password, file)));
      }
      if (object instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      throw new IllegalArgumentException(
          file
              + " holds no private key (expected BEGIN PRIVATE KEY, BEGIN ENCRYPTED PRIVATE KEY or"
              + " BEGIN RSA/EC PRIVATE KEY), found "
              + (object == null ? "nothing" : object.getClass().getSimpleName()));
    } catch (IOException | OperatorCreationException | PKCSException e) {
      throw new IllegalArgumentException("cannot read the signing key from " + file + ": " + e, e);
    }
  }

  private static char[] required(char[] password, Path file) {
    if (password == null || password.length == 0) {
      throw new IllegalArgumentException(file + " is encrypted; give its password");
    }
    return password;
  }

  private static String onlyKey(KeyStore store, Path file) throws GeneralSecurityException {
    List<String> keys = new java.util.ArrayList<>();
    for (String alias : Collections.list(store.aliases())) {
      if (store.isKeyEntry(alias)) {
        keys.add(alias);
      }
    }
    if (keys.size() != 1) {
      throw new IllegalArgumentException(
          file + " holds " + keys.size() + " keys " + keys + "; set key-alias to choose one");
    }
    return keys.get(0);
  }
}
