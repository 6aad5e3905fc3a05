package health.secondlook.server.referral;

import static health.secondlook.terminology.TerminologyContent.REFERRAL_PROGRESS_SYSTEM;

import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;

/**
 * How a second-opinion referral is recorded on its Task (BSeR referral Task, "Task at fulfiller"):
 * where its records come from, its progress through pull, delivery, review and write-back ({@code
 * businessStatus}, codes from the referral-progress CodeSystem) and what SecondLook attached
 * ({@code output}).
 */
public final class ReferralTasks {

  public static final String SOURCE_EHR_INPUT = "source-ehr";
  public static final String SOURCE_PATIENT_INPUT = "source-patient";

  /** Identifier system of {@code Task.owner}: the recipient's configured name. */
  public static final String RECIPIENT_SYSTEM = "https://secondlook.health/fhir/recipient";

  public static final String PULL_QUEUED = "pull-queued";
  public static final String PULLING = "pulling";
  public static final String RECORDS_COMPLETE = "records-complete";
  public static final String RECORDS_INCOMPLETE = "records-incomplete";
  public static final String PROCEEDING_INCOMPLETE = "proceeding-incomplete";
  public static final String PULL_FAILED = "pull-failed";
  public static final String DELIVERY_QUEUED = "delivery-queued";
  public static final String DELIVERING = "delivering";
  public static final String DELIVERED = "delivered";
  public static final String DELIVERY_FAILED = "delivery-failed";
  public static final String AWAITING_INFORMATION = "awaiting-information";
  public static final String WRITE_BACK_QUEUED = "write-back-queued";
  public static final String WRITTEN_BACK = "written-back";
  public static final String WRITE_BACK_FAILED = "write-back-failed";

  public static final String PULLED_RECORDS_OUTPUT = "pulled-records";
  public static final String COMPLETENESS_REPORT_OUTPUT = "completeness-report";
  public static final String PACKET_OUTPUT = "packet";
  public static final String FEEDBACK_OUTPUT = "feedback";
  public static final String INFORMATION_REQUEST_OUTPUT = "information-request";

  private ReferralTasks() {}

  public static String sourceEhr(Task task) {
    return input(task, SOURCE_EHR_INPUT).orElseThrow();
  }

  public static String sourcePatient(Task task) {
    return input(task, SOURCE_PATIENT_INPUT).orElseThrow();
  }

  /** The configured name of the receiving organisation that owns the referral, if any. */
  public static Optional<String> recipient(Task task) {
    return Optional.of(task.getOwner().getIdentifier())
        .filter(i -> RECIPIENT_SYSTEM.equals(i.getSystem()) && i.hasValue())
        .map(i -> i.getValue());
  }

  static void addInput(Task task, String name, String value) {
    task.addInput().setType(new CodeableConcept().setText(name)).setValue(new StringType(value));
  }

  public static Optional<String> progress(Task task) {
    return task.getBusinessStatus().getCoding().stream()
        .filter(c -> REFERRAL_PROGRESS_SYSTEM.equals(c.getSystem()))
        .map(c -> c.getCode())
        .findFirst();
  }

  public static void setProgress(Task task, String code, String text) {
    CodeableConcept status = new CodeableConcept();
    status.addCoding().setSystem(REFERRAL_PROGRESS_SYSTEM).setCode(code);
    status.setText(text);
    task.setBusinessStatus(status);
  }

  /** The reference of the output of this kind, if SecondLook attached one. */
  public static Optional<String> output(Task task, String code) {
    return task.getOutput().stream()
        .filter(o -> o.getType().getCoding().stream().anyMatch(c -> code.equals(c.getCode())))
        .map(o -> ((Reference) o.getValue()).getReference())
        .findFirst();
  }

  /** Sets the output of this kind, replacing an earlier one from a previous pull. */
  public static void setOutput(Task task, String code, Reference value) {
    task.getOutput()
        .removeIf(o -> o.getType().getCoding().stream().anyMatch(c -> code.equals(c.getCode())));
    task.addOutput()
        .setType(new CodeableConcept().addCoding(new Coding(REFERRAL_PROGRESS_SYSTEM, code, null)))
        .setValue(value);
  }

  private static Optional<String> input(Task task, String name) {
    return task.getInput().stream()
        .filter(i -> name.equals(i.getType().getText()))
        .map(i -> i.getValue().primitiveValue())
        .findFirst();
  }
}
