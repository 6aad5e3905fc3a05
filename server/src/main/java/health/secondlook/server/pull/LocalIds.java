package health.secondlook.server.pull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The id a pulled resource gets in SecondLook: the EHR's name and the EHR's own id, so pulling
 * again updates the same copy and records of different EHRs never collide. Ids that would be too
 * long for FHIR (64 characters) are shortened with a hash.
 */
public final class LocalIds {

  private static final int MAX = 64;
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9\\-.]");

  private LocalIds() {}

  public static String of(String ehrName, String ehrId) {
    String prefix = UNSAFE.matcher(ehrName).replaceAll("-") + "-";
    String id = prefix + ehrId;
    if (id.length() <= MAX && !UNSAFE.matcher(ehrId).find()) {
      return id;
    }
    return prefix + sha256(ehrId).substring(0, MAX - prefix.length());
  }

  private static String sha256(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
