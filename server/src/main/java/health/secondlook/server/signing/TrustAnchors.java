package health.secondlook.server.signing;

import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The CA certificates whose chains a packet verifier accepts. A signature's own {@code x5c} is
 * never trusted by itself: it must chain to one of these.
 */
public final class TrustAnchors {

  private final List<X509Certificate> certificates;

  private TrustAnchors(Collection<X509Certificate> certificates) {
    this.certificates = List.copyOf(new LinkedHashSet<>(certificates));
  }

  public static TrustAnchors of(Collection<X509Certificate> certificates) {
    return new TrustAnchors(certificates);
  }

  public static TrustAnchors of(X509Certificate... certificates) {
    return new TrustAnchors(List.of(certificates));
  }

  /** Every certificate in the given PEM files. */
  public static TrustAnchors fromPemFiles(Collection<Path> files) {
    return new TrustAnchors(
        files.stream().flatMap(file -> Certificates.read(file).stream()).toList());
  }

  public TrustAnchors and(TrustAnchors more) {
    return new TrustAnchors(
        Stream.concat(certificates.stream(), more.certificates.stream()).toList());
  }

  public boolean isEmpty() {
    return certificates.isEmpty();
  }

  Set<TrustAnchor> anchors() {
    return certificates.stream()
        .map(certificate -> new TrustAnchor(certificate, null))
        .collect(Collectors.toSet());
  }

  boolean contains(X509Certificate certificate) {
    return certificates.contains(certificate);
  }
}
