package health.secondlook.mappings;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r4.fhirpath.FHIRLexer.FHIRLexerException;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.TypeDetails;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;

/**
 * Type-checks a mapping file's FHIRPath expressions against the R4 definitions when the file is
 * loaded. Parsing alone would accept {@code DiagnosticReport.cod}, which then matches nothing at
 * run time; the check names the misspelt element instead. Not thread-safe: one per load.
 */
final class ExpressionChecker {

  private final HapiWorkerContext worker;
  private final FHIRPathEngine engine;

  ExpressionChecker(FhirContext ctx) {
    this.worker = new HapiWorkerContext(ctx, ctx.getValidationSupport());
    this.engine = new FHIRPathEngine(worker);
  }

  /**
   * Checks that {@code expression} parses, names only elements that exist when evaluated on a
   * {@code resourceType}, and can yield at least one of the {@code allowed} types.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  void check(String resourceType, String expression, String... allowed) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("missing FHIRPath expression");
    }
    TypeDetails types;
    try {
      types =
          engine.check(null, resourceType, resourceType, resourceType, engine.parse(expression));
    } catch (FHIRLexerException e) {
      throw new IllegalArgumentException(
          "'" + expression + "' is not valid FHIRPath: " + e.getMessage(), e);
    } catch (FHIRException e) {
      throw new IllegalArgumentException(
          "'" + expression + "' does not fit " + resourceType + ": " + e.getMessage(), e);
    }
    if (!types.hasType(worker, allowed)) {
      throw new IllegalArgumentException(
          "'"
              + expression
              + "' yields "
              + (types.hasNoTypes() ? "nothing" : types.getTypes())
              + " on "
              + resourceType
              + ", not "
              + String.join(" or ", allowed));
    }
  }
}
