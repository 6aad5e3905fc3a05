package health.secondlook.server.turnaround;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Task;

/**
 * When a referral Task first reached each status, kept on the Task itself as extensions so the
 * record is stored, versioned and backed up with the referral:
 *
 * <pre>{@code
 * "extension": [{
 *   "url": "https://secondlook.health/fhir/StructureDefinition/status-reached",
 *   "extension": [
 *     {"url": "status", "valueCode": "accepted"},
 *     {"url": "time", "valueInstant": "2026-11-25T10:42:07.123Z"}]
 * }]
 * }</pre>
 *
 * Only SecondLook writes these ({@link StatusHistoryRecorder}); what a client sends is replaced.
 */
final class StatusHistory {

  static final String EXTENSION =
      "https://secondlook.health/fhir/StructureDefinition/status-reached";
  private static final String STATUS = "status";
  private static final String TIME = "time";

  /** A status and the time the Task first reached it. */
  record Entry(String status, Instant time) {}

  private StatusHistory() {}

  /** The entries on the Task, in the order they were recorded; malformed ones are skipped. */
  static List<Entry> read(Task task) {
    List<Entry> entries = new ArrayList<>();
    for (Extension extension : task.getExtensionsByUrl(EXTENSION)) {
      Optional<String> status = part(extension, STATUS).map(v -> v.primitiveValue());
      Optional<Date> time =
          part(extension, TIME)
              .filter(InstantType.class::isInstance)
              .map(v -> ((InstantType) v).getValue());
      if (status.isPresent() && time.isPresent()) {
        entries.add(new Entry(status.get(), time.get().toInstant()));
      }
    }
    return entries;
  }

  /** Replaces whatever status history the Task carries with these entries. */
  static void write(Task task, List<Entry> entries) {
    task.getExtension().removeIf(e -> EXTENSION.equals(e.getUrl()));
    for (Entry entry : entries) {
      Extension extension = task.addExtension().setUrl(EXTENSION);
      extension.addExtension(STATUS, new CodeType(entry.status()));
      extension.addExtension(TIME, new InstantType(Date.from(entry.time())));
    }
  }

  private static Optional<org.hl7.fhir.r4.model.Type> part(Extension extension, String url) {
    return extension.getExtension().stream()
        .filter(e -> url.equals(e.getUrl()) && e.hasValue())
        .map(Extension::getValue)
        .findFirst();
  }
}
