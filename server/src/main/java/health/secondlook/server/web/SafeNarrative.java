package health.secondlook.server.web;

import java.util.Set;
import org.hl7.fhir.utilities.xhtml.NodeType;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;
import org.springframework.web.util.HtmlUtils;

/**
 * A FHIR narrative as HTML that is safe to put in a page: only text-structure elements (tables,
 * lists, paragraphs, emphasis) are kept, without any attribute; everything else keeps only its
 * text. A packet's narrative comes from another organisation, so it is never trusted as markup.
 */
final class SafeNarrative {

  private static final Set<String> KEPT =
      Set.of(
          "div", "p", "br", "span", "b", "strong", "i", "em", "ul", "ol", "li", "table", "thead",
          "tbody", "tr", "th", "td", "h3", "h4", "h5", "h6", "caption", "pre", "code");

  private SafeNarrative() {}

  static String html(XhtmlNode node) {
    if (node == null || node.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString();
  }

  private static void write(XhtmlNode node, StringBuilder out) {
    if (node.getNodeType() == NodeType.Text) {
      out.append(HtmlUtils.htmlEscape(node.getContent() == null ? "" : node.getContent()));
      return;
    }
    if (node.getNodeType() != NodeType.Element && node.getNodeType() != NodeType.Document) {
      return;
    }
    String name = node.getName() == null ? "" : node.getName().toLowerCase(java.util.Locale.ROOT);
    if ("script".equals(name) || "style".equals(name)) {
      return;
    }
    boolean kept = KEPT.contains(name);
    if (kept) {
      out.append('<').append(name).append('>');
    }
    if (!"br".equals(name)) {
      for (XhtmlNode child : node.getChildNodes()) {
        write(child, out);
      }
      if (kept) {
        out.append("</").append(name).append('>');
      }
    }
  }
}
