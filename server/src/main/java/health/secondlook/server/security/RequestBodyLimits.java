package health.secondlook.server.security;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a FHIR request body against {@link RequestLimits} before the FHIR server parses it: its
 * size, how deep its JSON nests, how long its strings are, and how many entries its Bundles have.
 * The scan streams tokens and builds nothing, so a hostile body costs no more than reading it.
 */
final class RequestBodyLimits {

  /** Strings that may be long: attachment and Binary content, and narratives. */
  private static final Set<String> DATA_FIELDS = Set.of("data", "div");

  private static final Set<String> BUNDLE_REQUEST_TYPES = Set.of("transaction", "batch");

  private final RequestLimits limits;
  private final JsonFactory json;

  RequestBodyLimits(RequestLimits limits) {
    this.limits = limits;
    this.json =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxJsonDepth())
                    .maxStringLength(Math.max(limits.maxDataLength(), limits.maxTextLength()))
                    .build())
            .build();
  }

  /** What is over a bound in this body, if anything. */
  Optional<String> problem(byte[] body) {
    if (body.length > limits.maxBodySize().toBytes()) {
      return Optional.of(tooLarge(body.length));
    }
    if (!looksLikeJson(body)) {
      return Optional.empty();
    }
    try (JsonParser parser = json.createParser(new ByteArrayInputStream(body))) {
      return scan(parser);
    } catch (StreamConstraintsException e) {
      return Optional.of(
          e.getMessage().contains("depth")
              ? "The JSON nests deeper than secondlook.security.limits.max-json-depth ("
                  + limits.maxJsonDepth()
                  + ")"
              : "A JSON string is longer than secondlook.security.limits.max-data-length ("
                  + limits.maxDataLength()
                  + " characters)");
    } catch (IOException malformed) {
      // Not well-formed: the FHIR server says exactly where.
      return Optional.empty();
    }
  }

  String tooLarge(long bytes) {
    return "The request body of "
        + bytes
        + " bytes is over secondlook.security.limits.max-body-size ("
        + limits.maxBodySize().toBytes()
        + " bytes)";
  }

  private Optional<String> scan(JsonParser parser) throws IOException {
    // Entries counted per open "entry" array; the top-level Bundle's type decides its bound.
    Deque<int[]> entryArrays = new ArrayDeque<>();
    String topLevelType = null;
    String topLevelResource = null;
    int topLevelEntries = 0;
    JsonToken token;
    while ((token = parser.nextToken()) != null) {
      JsonStreamContext context = parser.getParsingContext();
      switch (token) {
        case START_ARRAY -> {
          JsonStreamContext owner = context.getParent();
          if (owner != null && owner.inObject() && "entry".equals(parser.currentName())) {
            boolean topLevel = owner.getParent() != null && owner.getParent().inRoot();
            entryArrays.push(new int[] {topLevel ? 1 : 0, 0});
          } else {
            entryArrays.push(new int[] {-1, 0});
          }
        }
        case END_ARRAY -> {
          int[] array = entryArrays.pop();
          if (array[0] == 1) {
            topLevelEntries = array[1];
          }
        }
        case START_OBJECT -> {
          int[] array = entryArrays.peek();
          if (array != null && array[0] >= 0 && context.getParent().inArray()) {
            if (++array[1] > limits.maxBundleEntries()) {
              return Optional.of(
                  "A Bundle has more than secondlook.security.limits.max-bundle-entries ("
                      + limits.maxBundleEntries()
                      + ") entries");
            }
          }
        }
        case VALUE_STRING -> {
          String name =
              context.inArray() ? context.getParent().getCurrentName() : context.getCurrentName();
          int length = parser.getTextLength();
          int max = DATA_FIELDS.contains(name) ? limits.maxDataLength() : limits.maxTextLength();
          if (length > max) {
            return Optional.of(
                "'"
                    + name
                    + "' is "
                    + length
                    + " characters long, over secondlook.security.limits."
                    + (DATA_FIELDS.contains(name) ? "max-data-length" : "max-text-length")
                    + " ("
                    + max
                    + ")");
          }
          if (context.getNestingDepth() == 1 && context.inObject()) {
            if ("resourceType".equals(name)) {
              topLevelResource = parser.getText();
            } else if ("type".equals(name)) {
              topLevelType = parser.getText();
            }
          }
        }
        default -> {
          // numbers, booleans, nulls and names cost nothing to check
        }
      }
    }
    if ("Bundle".equals(topLevelResource)
        && BUNDLE_REQUEST_TYPES.contains(topLevelType)
        && topLevelEntries > limits.maxTransactionEntries()) {
      return Optional.of(
          "A "
              + topLevelType
              + " of "
              + topLevelEntries
              + " entries is over secondlook.security.limits.max-transaction-entries ("
              + limits.maxTransactionEntries()
              + ")");
    }
    return Optional.empty();
  }

  private static boolean looksLikeJson(byte[] body) {
    for (byte b : body) {
      if (b == '{' || b == '[') {
        return true;
      }
      if (!Character.isWhitespace(b)) {
        return false;
      }
    }
    return false;
  }

  /** Reads at most {@code max + 1} bytes, so an endless body is cut off, not buffered whole. */
  static byte[] readAtMost(InputStream in, long max) throws IOException {
    return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
  }
}
