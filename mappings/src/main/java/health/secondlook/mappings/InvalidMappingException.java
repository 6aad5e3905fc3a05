package health.secondlook.mappings;

/**
 * A mapping file that cannot be used, with the file, the field and the problem named so that
 * whoever edits the file can fix it without reading code. Thrown at load time, so a broken file
 * stops the server starting instead of quietly misclassifying a patient's records.
 */
public class InvalidMappingException extends RuntimeException {

  private final String file;
  private final String field;

  InvalidMappingException(String file, String field, String problem, Throwable cause) {
    super(file + ": " + field + ": " + problem, cause);
    this.file = file;
    this.field = field;
  }

  InvalidMappingException(String file, String field, String problem) {
    this(file, field, problem, null);
  }

  /** The file's name, e.g. {@code r4-default.json}. */
  public String file() {
    return file;
  }

  /**
   * Where in the file, e.g. {@code classification[2].codePaths[0]}; {@code (file)} for all of it.
   */
  public String field() {
    return field;
  }
}
