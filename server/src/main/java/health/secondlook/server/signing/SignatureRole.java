package health.secondlook.server.signing;

import org.hl7.fhir.r4.model.Coding;

/**
 * Why a packet is signed, as ASTM E1762 signature types: the code in {@code Signature.type} and, as
 * {@code urn:oid:…}, in the JWS header's {@code srCms} commitment.
 */
public enum SignatureRole {
  /** SecondLook, or the referring team, assembled the packet and vouches for it. */
  AUTHOR("1.2.840.10065.1.12.1.1", "Author's Signature"),
  /** The signer checked the content is what it claims to be, e.g. the specialist on receipt. */
  VERIFICATION("1.2.840.10065.1.12.1.5", "Verification Signature");

  /** The code system of {@code Signature.type}. */
  public static final String ASTM_SYSTEM = "urn:iso-astm:E1762-95:2013";

  private final String oid;
  private final String display;

  SignatureRole(String oid, String display) {
    this.oid = oid;
    this.display = display;
  }

  public String oid() {
    return oid;
  }

  public String display() {
    return display;
  }

  /** The {@code Signature.type} coding. */
  public Coding coding() {
    return new Coding(ASTM_SYSTEM, oid, display);
  }
}
