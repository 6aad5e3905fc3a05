package health.secondlook.server.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A site mappings directory for the test server ({@code secondlook.site.mappings-dir}), holding
 * mapping profiles beside the shipped ones for test EHRs that need another write-back:
 *
 * <ul>
 *   <li>{@value #TRANSACTION_COMMUNICATION}: {@code r4-default}, but written back as one
 *       transaction, with the summary as a Communication.
 *   <li>{@value #INFORMATION_COMMUNICATION}: {@code r4-default}, but information requests are
 *       written as Communications.
 * </ul>
 */
public final class TestMappings {

  public static final String TRANSACTION_COMMUNICATION = "r4-transaction-communication";
  public static final String INFORMATION_COMMUNICATION = "r4-information-communication";

  private static Path directory;

  private TestMappings() {}

  public static synchronized Path siteDirectory() {
    if (directory == null) {
      try {
        Path dir = Files.createTempDirectory("secondlook-test-mappings");
        ObjectMapper json = new ObjectMapper();
        ObjectNode profile;
        try (InputStream in =
            TestMappings.class
                .getClassLoader()
                .getResourceAsStream("secondlook/mappings/r4-default.json")) {
          profile = (ObjectNode) json.readTree(in);
        }
        profile.put("name", TRANSACTION_COMMUNICATION);
        profile.put(
            "description", "r4-default, written back as one transaction with a Communication");
        ObjectNode writeBack = (ObjectNode) profile.get("writeBack");
        writeBack.put("requests", "transaction");
        ObjectNode summary = (ObjectNode) writeBack.get("summary");
        summary.put("resourceType", "Communication");
        summary.remove("category");
        summary
            .putArray("category")
            .addObject()
            .put("system", "http://terminology.hl7.org/CodeSystem/communication-category")
            .put("code", "notification")
            .put("display", "Notification");
        json.writerWithDefaultPrettyPrinter()
            .writeValue(dir.resolve(TRANSACTION_COMMUNICATION + ".json").toFile(), profile);
        writeInformationCommunication(json, dir);
        directory = dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return directory;
  }

  private static void writeInformationCommunication(ObjectMapper json, Path dir)
      throws IOException {
    ObjectNode profile;
    try (InputStream in =
        TestMappings.class
            .getClassLoader()
            .getResourceAsStream("secondlook/mappings/r4-default.json")) {
      profile = (ObjectNode) json.readTree(in);
    }
    profile.put("name", INFORMATION_COMMUNICATION);
    profile.put("description", "r4-default, with information requests written as Communications");
    ObjectNode request = (ObjectNode) profile.at("/writeBack/informationRequest");
    request.put("resourceType", "Communication");
    request
        .putArray("category")
        .addObject()
        .put("system", "http://terminology.hl7.org/CodeSystem/communication-category")
        .put("code", "instruction")
        .put("display", "Instruction");
    json.writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve(INFORMATION_COMMUNICATION + ".json").toFile(), profile);
  }
}
