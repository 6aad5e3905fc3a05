package health.secondlook.server.fhir;

import java.util.List;
import org.hl7.fhir.r4.model.Narrative;

/**
 * Builds a FHIR narrative ({@code <div>} of paragraphs and lists) from plain text, escaping every
 * piece, since most of it comes from the referring EHR's records.
 */
public final class Xhtml {

  private final StringBuilder html =
      new StringBuilder("<div xmlns=\"http://www.w3.org/1999/xhtml\">");

  public Xhtml paragraph(String text) {
    html.append("<p>").append(escape(text)).append("</p>");
    return this;
  }

  /** A bold paragraph introducing the list that follows. */
  public Xhtml heading(String text) {
    html.append("<p><b>").append(escape(text)).append("</b></p>");
    return this;
  }

  /** A paragraph with a bold lead-in, e.g. "Priority: urgent". */
  public Xhtml labelled(String label, String text) {
    html.append("<p><b>").append(escape(label)).append("</b> ").append(escape(text)).append("</p>");
    return this;
  }

  /** A bullet list; nothing when {@code items} is empty. */
  public Xhtml list(List<String> items) {
    if (!items.isEmpty()) {
      html.append("<ul>");
      items.forEach(item -> html.append("<li>").append(escape(item)).append("</li>"));
      html.append("</ul>");
    }
    return this;
  }

  public Narrative toNarrative() {
    Narrative narrative = new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED);
    narrative.setDivAsString(html + "</div>");
    return narrative;
  }

  public static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> {
          // Control characters are not allowed in XML; an EHR's text may still carry them.
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            escaped.append(c);
          }
        }
      }
    }
    return escaped.toString();
  }
}
