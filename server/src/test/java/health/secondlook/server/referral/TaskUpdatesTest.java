package health.secondlook.server.referral;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import health.secondlook.server.support.H2ServerTest;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A step recording its outcome on a referral Task while someone else changes it: both changes end
 * up on the stored Task, and a step whose outcome no longer applies leaves the Task alone.
 */
@H2ServerTest
class TaskUpdatesTest {

  @Autowired DaoRegistry daos;

  @Test
  void aChangeSavedMeanwhileIsKeptAndTheStepsOutcomeIsAppliedOnTopOfIt() {
    IFhirResourceDao<Task> tasks = daos.getResourceDao(Task.class);
    String id = newTask(tasks);
    AtomicInteger attempts = new AtomicInteger();

    boolean saved =
        TaskUpdates.apply(
            tasks,
            id,
            task -> {
              if (attempts.incrementAndGet() == 1) {
                // The specialist accepts the referral between the step's read and its save.
                Task specialists = tasks.read(new IdType("Task", id), new SystemRequestDetails());
                specialists.setStatus(Task.TaskStatus.ACCEPTED);
                tasks.update(specialists, new SystemRequestDetails());
              }
              ReferralTasks.setProgress(task, ReferralTasks.RECORDS_COMPLETE, "Records complete");
              return true;
            });

    Task stored = tasks.read(new IdType("Task", id), new SystemRequestDetails());
    assertThat(saved).isTrue();
    assertThat(attempts).hasValue(2);
    assertThat(stored.getStatus()).isEqualTo(Task.TaskStatus.ACCEPTED);
    assertThat(ReferralTasks.progress(stored)).contains(ReferralTasks.RECORDS_COMPLETE);
  }

  @Test
  void aStepWhoseOutcomeNoLongerAppliesLeavesTheTaskUnchanged() {
    IFhirResourceDao<Task> tasks = daos.getResourceDao(Task.class);
    String id = newTask(tasks);
    String version =
        tasks.read(new IdType("Task", id), new SystemRequestDetails()).getMeta().getVersionId();

    assertThat(TaskUpdates.apply(tasks, id, task -> false)).isFalse();
    assertThat(
            tasks.read(new IdType("Task", id), new SystemRequestDetails()).getMeta().getVersionId())
        .isEqualTo(version);
  }

  private static String newTask(IFhirResourceDao<Task> tasks) {
    Task task = new Task();
    task.setStatus(Task.TaskStatus.REQUESTED);
    task.setIntent(Task.TaskIntent.ORDER);
    ReferralTasks.setProgress(task, ReferralTasks.PULLING, "Pulling");
    return tasks.create(task, new SystemRequestDetails()).getId().getIdPart();
  }
}
