package health.secondlook.mappings;

import java.util.List;

/**
 * The outcome of the completeness check on one pull: every packet item, in the packet-item
 * CodeSystem's order, with whether it was found, and the pulled records no rule keeps ({@link
 * Classification.LeftOut}), with the rule that left each out. The server stores it as a FHIR
 * resource on the referral's Task and shows it to the referring team, who add what is missing or
 * proceed.
 */
public record CompletenessReport(List<Item> items, List<Classification.LeftOut> leftOut) {

  public CompletenessReport {
    items = List.copyOf(items);
    leftOut = List.copyOf(leftOut);
  }

  /** A report that leaves nothing out. */
  public CompletenessReport(List<Item> items) {
    this(items, List.of());
  }

  /** What the check found for one packet item. */
  public enum Status {
    /** Resources that satisfy the item were pulled. */
    PRESENT("present"),
    /** The item is required and nothing satisfies it; the referral is incomplete. */
    MISSING("missing"),
    /** The item's condition does not hold (e.g. no surgery, so no discharge summary is due). */
    NOT_APPLICABLE("not-applicable"),
    /** An item sent only when it exists was not found; the referral is still complete. */
    NOT_AVAILABLE("not-available");

    private final String code;

    Status(String code) {
      this.code = code;
    }

    /** The status as written in the stored report, e.g. {@code not-applicable}. */
    public String code() {
      return code;
    }
  }

  /**
   * @param code the packet-item code, e.g. {@code pathology-report}
   * @param resources references ({@code Type/id}) of the resources that satisfy the item, sorted;
   *     empty unless present, and for the patient's questions, which come with the request
   * @param rationale why the specialist needs the item, from the packet-item CodeSystem, when it is
   *     missing or not available; otherwise {@code null}
   */
  public record Item(
      String code, String display, Status status, List<String> resources, String rationale) {

    public Item {
      resources = List.copyOf(resources);
    }
  }

  /** True when no required item is missing. */
  public boolean complete() {
    return items.stream().noneMatch(item -> item.status() == Status.MISSING);
  }

  /** The required items that were not found, in CodeSystem order. */
  public List<Item> missing() {
    return items.stream().filter(item -> item.status() == Status.MISSING).toList();
  }

  /**
   * The entry for one packet item.
   *
   * @throws IllegalArgumentException if the report has no such item
   */
  public Item item(String code) {
    return items.stream()
        .filter(item -> item.code().equals(code))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No packet item " + code + " in report"));
  }
}
