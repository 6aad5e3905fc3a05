package health.secondlook.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import health.secondlook.server.referral.ReferralTasks;
import health.secondlook.server.support.DemoServerTest;
import health.secondlook.server.support.FhirClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole loop in a real browser (Debian's chromium, driven by chromium-driver through Selenium),
 * as a newcomer walks it in the demo: the oncologist launches SecondLook from the incomplete
 * patient's chart and sees what is missing, sends the referral and lets it go without the missing
 * items; the specialist signs in, finds it on the worklist, sees the verified badge (and a red one
 * for a tampered copy), accepts and reviews; the referrer's status page shows the outcome and each
 * answer. Every page is saved as a screenshot under {@code target/screenshots}.
 */
@DemoServerTest
class BrowserLoopTest {

  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path SHOTS = Path.of("target", "screenshots");

  private static WebDriver browser;

  @LocalServerPort int port;

  @Value("${secondlook.data-dir}")
  Path dataDirectory;

  @BeforeAll
  static void startBrowser() throws Exception {
    boolean required = Boolean.parseBoolean(System.getenv("SECONDLOOK_TEST_BROWSER_REQUIRED"));
    boolean installed = Files.isExecutable(DRIVER) && Files.isExecutable(CHROMIUM);
    if (required && !installed) {
      throw new IllegalStateException(
          "chromium and chromium-driver are required: apt-get install chromium chromium-driver");
    }
    Assumptions.assumeTrue(installed, "Debian's chromium and chromium-driver are not installed");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void aReferralGoesFromTheChartToTheSpecialistAndTheAnswerComesBack() throws Exception {
    String root = "http://localhost:" + port;
    String[] passwords = passwords();

    // The oncologist, in the sandbox EHR's chart of the patient whose records are incomplete.
    browser.get(root + "/sandbox-ehr/chart");
    shot("01-sandbox-login");
    signIn("oncologist", passwords[0]);
    shot("02-sandbox-patients");
    browser.findElement(By.linkText("Dina Testpatient")).click();
    shot("03-sandbox-chart");
    browser.findElement(By.id("request-second-opinion")).click();
    arriveAt("/referrer/compose");
    assertThat(browser.findElement(By.cssSelector(".banner")).getText())
        .contains("Dina Testpatient", "SBX-0004");
    assertThat(status("pathology-report")).isEqualTo("missing");
    assertThat(status("treatment-plan")).isEqualTo("missing");
    assertThat(status("diagnosis")).isEqualTo("present");
    assertThat(browser.findElement(By.id("preview-summary")).getText())
        .contains("Missing: Pathology or biopsy report");
    shot("04-referrer-preview");

    browser.findElement(By.id("reason")).sendKeys("Confirm stage and adjuvant plan");
    browser.findElement(By.id("q-diagnosis-clear")).click();
    browser.findElement(By.id("q-other-options")).click();
    browser.findElement(By.id("ownQuestions")).sendKeys("Can I keep working during treatment?");
    browser.findElement(By.id("priority-urgent")).click();
    ((JavascriptExecutor) browser)
        .executeScript(
            "var d = document.getElementById('treatmentStartBy'); d.value = arguments[0];"
                + " d.dispatchEvent(new Event('input'));",
            LocalDate.now().plusDays(10).toString());
    assertThat(browser.findElement(By.id("start-warning")).getText()).contains("10 day(s)");
    shot("05-referrer-form");
    browser.findElement(By.id("send-referral")).click();
    arriveAt("/referrer/referrals/");
    String taskId = browser.getCurrentUrl().replaceAll(".*/referrer/referrals/", "");
    shot("06-referrer-status-sent");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> refreshed().findElements(By.id("proceed")).size() == 1);
    shot("07-referrer-status-incomplete");
    browser.findElement(By.id("proceed")).click();
    await().atMost(Duration.ofSeconds(60)).until(() -> reached("Delivered"));
    shot("08-referrer-status-delivered");

    // The specialist, signing in with the tumour board's identity provider.
    browser.findElement(By.cssSelector("header .who button")).click();
    await().until(() -> browser.getCurrentUrl().contains("logout"));
    browser.get(root + "/specialist");
    assertThat(browser.getCurrentUrl()).contains("/sign-in");
    shot("09-sign-in");
    browser.findElement(By.linkText("Sign in as tumour-board")).click();
    signIn("specialist", passwords[1]);
    arriveAt("/specialist");
    WebElement row =
        browser.findElement(By.cssSelector("#worklist tr[data-task='" + taskId + "']"));
    assertThat(row.getText()).contains("Dina Testpatient", "urgent");
    shot("10-specialist-worklist");
    row.findElement(By.tagName("a")).click();

    WebElement badge = browser.findElement(By.id("signature-badge"));
    assertThat(badge.getText()).contains("Signature verified", "SecondLook demo packet signing");
    assertThat(badge.getAttribute("class")).contains("verified");
    assertThat(browser.findElement(By.tagName("main")).getText())
        .contains("Completeness of the records", "Pathology or biopsy report");
    shot("11-specialist-packet");

    // A copy of the same packet, changed after signing, opened from a file.
    Path tampered = tamperedCopy(taskId);
    browser.get(root + "/specialist/packets/open");
    shot("12-specialist-open-file");
    browser.findElement(By.id("packet-file")).sendKeys(tampered.toAbsolutePath().toString());
    browser.findElement(By.id("open-packet")).click();
    WebElement red = browser.findElement(By.id("signature-badge"));
    assertThat(red.getText()).contains("Signature NOT valid");
    assertThat(red.getAttribute("class")).contains("tampered");
    assertThat(browser.findElement(By.id("signature-problems")).getText()).isNotBlank();
    shot("13-specialist-tampered-copy");

    browser.get(root + "/specialist/referrals/" + taskId);
    browser.findElement(By.id("accept")).click();
    // The click posts a form and the page reloads: wait for the new page, not the old one.
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(ExpectedConditions.textToBe(By.id("task-status"), "Accepted"));
    browser.findElement(By.id("start-review")).click();
    browser.findElement(By.id("write-review")).click();
    shot("14-specialist-review-form");
    browser.findElement(By.id("submit-review")).click();
    assertThat(browser.findElement(By.id("errors")).getText()).contains("outcome");
    shot("15-specialist-review-errors");
    browser.findElement(By.id("outcome-modifies-plan")).click();
    new Select(browser.findElement(By.id("diagnosisAgreement"))).selectByValue("agree");
    browser
        .findElement(By.id("answer-diagnosis-clear"))
        .sendKeys("Yes: the biopsy and imaging agree.");
    browser
        .findElement(By.id("answer-other-options"))
        .sendKeys("Breast-conserving surgery is an option.");
    browser
        .findElement(By.id("answer-own-questions"))
        .sendKeys("Most people keep working part-time.");
    browser.findElement(By.id("recommendedPlan")).sendKeys("Add radiotherapy after surgery.");
    browser.findElement(By.id("trials")).sendKeys("NCT00000000 Example adjuvant trial");
    browser.findElement(By.id("summary")).sendKeys("Stage confirmed; plan adjusted.");
    browser.findElement(By.id("submit-review")).click();
    assertThat(browser.findElement(By.id("notice")).getText()).contains("signed and sent");
    assertThat(browser.findElement(By.id("task-status")).getText()).isEqualTo("Completed");
    shot("16-specialist-reviewed");

    // Back to the referrer: the status page shows the outcome and each answer.
    browser.findElement(By.cssSelector("header .who button")).click();
    await().until(() -> browser.getCurrentUrl().contains("logout"));
    browser.get(root + "/sandbox-ehr/chart/breast-2");
    signIn("oncologist", passwords[0]);
    browser.findElement(By.id("request-second-opinion")).click();
    arriveAt("/referrer/compose");
    browser.get(root + "/referrer/referrals/" + taskId);
    WebElement answer = browser.findElement(By.id("review"));
    assertThat(answer.findElement(By.id("review-outcome")).getText())
        .isEqualTo("Modifies part of the plan");
    assertThat(answer.findElement(By.id("review-answers")).getText())
        .contains("Is the diagnosis clear?", "Yes: the biopsy and imaging agree.")
        .contains("Are there other options?", "Breast-conserving surgery is an option.")
        .contains("Can I keep working during treatment?", "Most people keep working part-time.");
    assertThat(answer.getText()).contains("Add radiotherapy after surgery.", "NCT00000000");
    shot("17-referrer-status-answered");

    await().atMost(Duration.ofSeconds(60)).until(() -> reached("Answer in the EHR"));
    browser.get(root + "/sandbox-ehr/chart/breast-2");
    assertThat(browser.findElement(By.tagName("main")).getText()).contains("Completed");
    shot("18-sandbox-chart-answered");
  }

  private String[] passwords() throws Exception {
    Path file = dataDirectory.resolve("demo-users.txt");
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file));
    String text = Files.readString(file);
    return new String[] {password(text, "oncologist"), password(text, "specialist")};
  }

  private static String password(String text, String user) {
    Matcher m = Pattern.compile("(?m)^" + user + "\\s+(\\S+)").matcher(text);
    assertThat(m.find()).as(user + " in demo-users.txt").isTrue();
    return m.group(1);
  }

  private static void signIn(String user, String password) {
    browser.findElement(By.id("username")).sendKeys(user);
    browser.findElement(By.id("password")).sendKeys(password);
    browser.findElement(By.cssSelector("main button[type=submit]")).click();
  }

  private static void arriveAt(String path) {
    await().atMost(Duration.ofSeconds(30)).until(() -> browser.getCurrentUrl().contains(path));
  }

  private static String status(String item) {
    return browser
        .findElement(By.cssSelector("#preview tr[data-item='" + item + "'] .status"))
        .getAttribute("class")
        .replace("status", "")
        .strip();
  }

  private static WebDriver refreshed() {
    browser.navigate().refresh();
    return browser;
  }

  private static boolean reached(String step) {
    refreshed();
    List<WebElement> steps = browser.findElements(By.cssSelector("#steps li.reached"));
    return steps.stream().anyMatch(s -> s.getText().equals(step));
  }

  private Path tamperedCopy(String taskId) throws Exception {
    var fhir = FhirClients.client("http://localhost:" + port + "/fhir");
    Task task = fhir.read().resource(Task.class).withId(taskId).execute();
    String packetId = ReferralTasks.output(task, ReferralTasks.PACKET_OUTPUT).orElseThrow();
    Bundle packet =
        fhir.read()
            .resource(Bundle.class)
            .withId(new IdType(packetId).toUnqualifiedVersionless())
            .execute();
    Composition composition = (Composition) packet.getEntryFirstRep().getResource();
    composition.setTitle(composition.getTitle() + " (edited after signing)");
    Path file = Files.createTempFile("tampered-packet", ".json");
    Files.writeString(
        file, FhirContext.forR4Cached().newJsonParser().encodeResourceToString(packet));
    return file;
  }

  /** Photographs the page, after checking that every form control on it has a label. */
  private static void shot(String name) throws Exception {
    Object unlabelled =
        ((JavascriptExecutor) browser)
            .executeScript(
                "return [...document.querySelectorAll('input,select,textarea')]"
                    + ".filter(e => e.type !== 'hidden')"
                    + ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')"
                    + " && !e.getAttribute('aria-labelledby'))"
                    + ".map(e => e.name || e.id || e.outerHTML.slice(0, 80))");
    assertThat((java.util.List<?>) unlabelled)
        .as("form controls without a label on " + name)
        .isEmpty();
    long height =
        (Long) ((JavascriptExecutor) browser).executeScript("return document.body.scrollHeight");
    browser
        .manage()
        .window()
        .setSize(new Dimension(1366, (int) Math.max(900, Math.min(height + 40, 5000))));
    Files.write(
        SHOTS.resolve(name + ".png"), ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
    browser.manage().window().setSize(new Dimension(1366, 900));
  }
}
