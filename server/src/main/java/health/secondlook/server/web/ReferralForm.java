package health.secondlook.server.web;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What the referrer enters on the composer: the reason, the patient's questions (ticked, and in
 * their own words), urgency and the receiving organisation. {@code submission} makes sending the
 * same form twice (a double click, a reload) return the referral already made.
 */
public class ReferralForm {

  private String reason = "";
  private List<String> questions = new ArrayList<>();
  private String ownQuestions = "";
  private String priority = "routine";
  private String treatmentStartBy = "";
  private String recipient = "";
  private String submission = UUID.randomUUID().toString();

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason == null ? "" : reason;
  }

  public List<String> getQuestions() {
    return questions;
  }

  public void setQuestions(List<String> questions) {
    this.questions = questions == null ? new ArrayList<>() : questions;
  }

  public String getOwnQuestions() {
    return ownQuestions;
  }

  public void setOwnQuestions(String ownQuestions) {
    this.ownQuestions = ownQuestions == null ? "" : ownQuestions;
  }

  public String getPriority() {
    return priority;
  }

  public void setPriority(String priority) {
    this.priority = priority == null ? "routine" : priority;
  }

  public String getTreatmentStartBy() {
    return treatmentStartBy;
  }

  public void setTreatmentStartBy(String treatmentStartBy) {
    this.treatmentStartBy = treatmentStartBy == null ? "" : treatmentStartBy;
  }

  public String getRecipient() {
    return recipient;
  }

  public void setRecipient(String recipient) {
    this.recipient = recipient == null ? "" : recipient;
  }

  public String getSubmission() {
    return submission;
  }

  public void setSubmission(String submission) {
    this.submission =
        submission == null || submission.isBlank() ? UUID.randomUUID().toString() : submission;
  }
}
