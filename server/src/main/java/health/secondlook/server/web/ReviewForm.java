package health.secondlook.server.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The specialist's review as entered: outcome, agreement with the diagnosis, an answer to each of
 * the patient's questions (by question key), the recommended plan, trials (one per line) and a
 * summary.
 */
public class ReviewForm {

  private String outcome = "";
  private String diagnosisAgreement = "";
  private Map<String, String> answers = new LinkedHashMap<>();
  private String recommendedPlan = "";
  private String trials = "";
  private String summary = "";

  public String getOutcome() {
    return outcome;
  }

  public void setOutcome(String outcome) {
    this.outcome = outcome == null ? "" : outcome;
  }

  public String getDiagnosisAgreement() {
    return diagnosisAgreement;
  }

  public void setDiagnosisAgreement(String diagnosisAgreement) {
    this.diagnosisAgreement = diagnosisAgreement == null ? "" : diagnosisAgreement;
  }

  public Map<String, String> getAnswers() {
    return answers;
  }

  public void setAnswers(Map<String, String> answers) {
    this.answers = answers == null ? new LinkedHashMap<>() : answers;
  }

  public String getRecommendedPlan() {
    return recommendedPlan;
  }

  public void setRecommendedPlan(String recommendedPlan) {
    this.recommendedPlan = recommendedPlan == null ? "" : recommendedPlan;
  }

  public String getTrials() {
    return trials;
  }

  public void setTrials(String trials) {
    this.trials = trials == null ? "" : trials;
  }

  public String getSummary() {
    return summary;
  }

  public void setSummary(String summary) {
    this.summary = summary == null ? "" : summary;
  }
}
