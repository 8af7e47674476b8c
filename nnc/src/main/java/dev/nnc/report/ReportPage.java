package dev.nnc.report;

import static dev.nnc.graph.MathMl.escape;

import dev.nnc.autodiff.GradientListing;
import dev.nnc.graph.ExprPrinter;
import dev.nnc.graph.GraphView;
import java.util.List;

/**
 * One {@link Report} as one self-contained HTML page: the source, the parameter table, the expression
 * graph (forward, then with the gradients) as inline SVG laid out by {@link GraphLayout}, every
 * gradient as inline MathML, the worked example's table and the training curves. It references no
 * other file and no network (links go to its own sections only), holds nothing that depends on the
 * time or the machine, and is well-formed XML (XHTML) as well as HTML, so a plain XML parser reads it.
 *
 * <pre>
 *   Report(sigmoid_121, ...)   -&gt;   &lt;!DOCTYPE html&gt;&lt;html ...&gt; ... &lt;math display="block"&gt; ... &lt;/html&gt;
 * </pre>
 */
public final class ReportPage {

    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222;
                   max-width: 72rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.45; }
            h1 { font-size: 1.7rem; margin-bottom: 0.2rem; }
            h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
            h3 { font-size: 1.05rem; }
            nav a { margin-right: 1rem; }
            a { color: #1f5fa8; }
            pre, code, td.v, td.e { font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.88rem; }
            pre.source { background: #f6f8fa; border: 1px solid #e1e4e8; padding: 0.8rem 1rem; overflow: auto; }
            table { border-collapse: collapse; margin: 0.5rem 0; }
            th, td { border: 1px solid #d0d7de; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
            thead th { background: #f0f3f6; }
            th.section { background: #fafbfc; font-style: italic; font-weight: normal; }
            td.n { text-align: right; }
            td.v { white-space: pre; }
            .scroll { overflow: auto; border: 1px solid #e1e4e8; padding: 0.5rem; }
            svg.graph text { font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; }
            svg.graph text.note, svg.graph text.operand { font-size: 10px; }
            math[display="block"] { margin: 0.6rem 0; font-size: 1.1rem; }
            p.note { color: #555; }
            """;

    private final StringBuilder out = new StringBuilder();

    private ReportPage() {}

    public static String html(Report report) {
        return new ReportPage().page(report);
    }

    private String page(Report r) {
        out.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n<title>").append(escape(r.model())).append(": nnc report</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        out.append("<h1>").append(escape(r.model())).append("</h1>\n<p class=\"note\">The model <code>")
                .append(escape(r.model())).append("</code> of <code>").append(escape(r.file()))
                .append("</code>: its parameters, its expression graph, the gradients nnc derived, and a worked example.</p>\n");
        out.append("<nav><a href=\"#source\">source</a><a href=\"#parameters\">parameters</a><a href=\"#graph\">graph</a>")
                .append("<a href=\"#gradients\">gradients</a><a href=\"#trace\">worked example</a>")
                .append(r.curves() == null ? "" : "<a href=\"#training\">training</a>").append("</nav>\n");
        section("source", "Source");
        out.append("<pre class=\"source\">").append(escape(r.source())).append("</pre>\n");
        params(r.params());
        graphs(r);
        gradients(r);
        trace(r);
        if (r.curves() != null) {
            section("training", "Training curves");
            out.append("<div class=\"scroll\">\n").append(r.curves()).append("\n</div>\n");
        }
        return out.append("</body>\n</html>\n").toString();
    }

    private void section(String id, String title) {
        out.append("<h2 id=\"").append(id).append("\">").append(escape(title)).append("</h2>\n");
    }

    private void params(List<Report.Param> params) {
        section("parameters", "Parameters");
        if (params.isEmpty()) {
            out.append("<p class=\"note\">The model has no parameters.</p>\n");
            return;
        }
        out.append("<table class=\"params\">\n<thead><tr><th>name</th><th>shape</th><th>elements</th>")
                .append("<th>initial values</th></tr></thead>\n<tbody>\n");
        long total = 0;
        for (Report.Param p : params) {
            out.append("<tr><td><code>").append(escape(p.name())).append("</code></td><td>").append(escape(p.shape()))
                    .append("</td><td class=\"n\">").append(p.elements()).append("</td><td class=\"v\">")
                    .append(escape(p.initial())).append("</td></tr>\n");
            total += p.elements();
        }
        out.append("<tr><th>total</th><td></td><td class=\"n\">").append(total).append("</td><td></td></tr>\n");
        out.append("</tbody>\n</table>\n");
    }

    private void graphs(Report r) {
        section("graph", "Expression graph");
        out.append("<p class=\"note\">Values flow left to right. Parameters in blue boxes, inputs and targets in grey,")
                .append(" constants in white, operations in rounded boxes (a named value as <code>name = op</code>); the loss has")
                .append(" a double border. Laid out by Eclipse ELK's layered algorithm.</p>\n");
        out.append("<h3>Forward</h3>\n<div class=\"scroll\">\n")
                .append(GraphSvg.of(GraphLayout.of(GraphView.forward(r.derivation().forward())))).append("\n</div>\n");
        GradientListing listing = GradientListing.of(r.derivation());
        GraphView both = GraphView.both(r.derivation().forward(), r.derivation().simplified().params(), listing.sharedNames());
        out.append("<h3>With the gradients</h3>\n<p class=\"note\">The simplified gradients in red, with edges from the")
                .append(" forward values they reuse; each flows into its <code>dloss/dW</code> box.</p>\n")
                .append("<div class=\"scroll\">\n").append(GraphSvg.of(GraphLayout.of(both))).append("\n</div>\n");
    }

    private void gradients(Report r) {
        section("gradients", "Gradients");
        GradientListing listing = GradientListing.of(r.derivation());
        List<GradientListing.Equation> math = listing.equations(ExprPrinter.Notation.MATHML);
        List<GradientListing.Equation> text = listing.equations(ExprPrinter.Notation.TEXT);
        int shared = listing.sharedNames().size();
        if (shared > 0) {
            out.append("<p class=\"note\">Subterms the gradients share, named once:</p>\n");
        }
        for (int i = 0; i < math.size(); i++) {
            if (i == shared) {
                out.append("<p class=\"note\">The gradient of the loss for each parameter:</p>\n");
            }
            GradientListing.Equation m = math.get(i);
            GradientListing.Equation t = text.get(i);
            out.append("<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\" data-lhs=\"").append(escape(t.lhs()))
                    .append("\" alttext=\"").append(escape(t.lhs() + " = " + t.rhs())).append("\"><mrow>").append(m.lhs())
                    .append("<mo>=</mo>").append(m.rhs()).append("</mrow></math>\n");
        }
        List<String> notes = listing.notes();
        if (!notes.isEmpty()) {
            out.append("<ul class=\"notes\">\n");
            notes.forEach(n -> out.append("<li>").append(escape(n)).append("</li>\n"));
            out.append("</ul>\n");
        }
    }

    private void trace(Report r) {
        section("trace", "Worked example");
        TraceTable t = r.trace();
        if (t == null) {
            out.append("<p class=\"note\">").append(escape(r.traceNote())).append("</p>\n");
            return;
        }
        out.append("<p class=\"note\">").append(escape(t.description())).append("</p>\n");
        int columns = t.columns().size();
        out.append("<table class=\"trace\">\n<thead><tr><th>name</th><th>expression</th>");
        t.columns().forEach(c -> out.append("<th>").append(escape(c)).append("</th>"));
        out.append("</tr></thead>\n");
        for (TraceTable.Section s : t.sections()) {
            out.append("<tbody>\n<tr><th class=\"section\" colspan=\"").append(columns + 2).append("\">")
                    .append(escape(s.title())).append("</th></tr>\n");
            for (TraceTable.Row row : s.rows()) {
                out.append("<tr><td><code>").append(escape(row.name())).append("</code></td><td class=\"e\">")
                        .append(escape(row.expression())).append("</td>");
                boolean spans = row.values().size() == 1 && columns > 1;
                for (String v : row.values()) {
                    out.append(spans ? "<td class=\"v\" colspan=\"" + columns + "\">" : "<td class=\"v\">")
                            .append(escape(v)).append("</td>");
                }
                out.append("</tr>\n");
            }
            out.append("</tbody>\n");
        }
        out.append("</table>\n");
    }
}
