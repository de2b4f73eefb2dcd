/*
 * Copyright 2026 The Baton Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package dev.baton.benchmarks;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A hand-written SVG chart: a grid of panels (a row per backend, say, and a column per result set, so that variants
 * stand side by side on the same y scale), each with axes, ticks, grid lines, labelled reference lines and one {@code
 * <g class="series" data-subject="...">} per subject, plus a legend per row and notes under the panels. The x axis is
 * numeric (linear or logarithmic, with given ticks) or a list of categories; the y axis is linear from zero or
 * logarithmic by decades, shared by the panels of a row. Every text is escaped. Not threadsafe: build, then {@link
 * #render()}.
 */
final class SvgChart {
    /** How a line is drawn: joined points (solid or dashed), or loose dots (filled or hollow). */
    enum Style {
        SOLID,
        DASHED,
        DOTS,
        HOLLOW_DOTS;

        boolean joined() {
            return this == SOLID || this == DASHED;
        }
    }

    /** One subject's lines in a panel; its colour is the subject's across the chart. */
    static final class Series {
        private final String subject;
        private final boolean emphasis;
        private final List<Line> lines = new ArrayList<>();

        private Series(String subject, boolean emphasis) {
            this.subject = subject;
            this.emphasis = emphasis;
        }

        /** Adds a line of {x, y} points (x is the category's index on a category axis); NaN points are left out. */
        Series line(String name, Style style, List<double[]> points) {
            lines.add(new Line(name, style, List.copyOf(points)));
            return this;
        }
    }

    private record Line(String name, Style style, List<double[]> points) {}

    /** A labelled horizontal line at {@code y} from x {@code from} to {@code to} (NaN: across the panel). */
    private record Reference(String label, double y, double from, double to) {}

    /** One panel of the grid. */
    static final class Panel {
        private final int row;
        private final int column;
        private final String title;
        private final List<Series> series = new ArrayList<>();
        private final List<Reference> references = new ArrayList<>();

        private Panel(int row, int column, String title) {
            this.row = row;
            this.column = column;
            this.title = title;
        }

        /** A new series; {@code emphasis} draws it thicker (Baton beside the peers). */
        Series series(String subject, boolean emphasis) {
            Series s = new Series(subject, emphasis);
            series.add(s);
            return s;
        }

        Panel reference(String label, double y) {
            return reference(label, y, Double.NaN, Double.NaN);
        }

        /** A reference over part of the x axis, such as one category's band ({@code i - 0.5} to {@code i + 0.5}). */
        Panel reference(String label, double y, double from, double to) {
            if (!Double.isNaN(y)) {
                references.add(new Reference(label, y, from, to));
            }
            return this;
        }
    }

    private static final String[] PALETTE = {
        "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#9c755f", "#ff9da7", "#7f7f7f", "#c9a800"
    };
    private static final int PLOT_W = 380;
    private static final int PLOT_H = 220;
    private static final int LEFT = 74;
    private static final int RIGHT = 18;
    private static final int TOP = 30;
    private static final int BOTTOM = 50;
    private static final int CELL_W = LEFT + PLOT_W + RIGHT;
    private static final int CELL_H = TOP + PLOT_H + BOTTOM;
    private static final int LEGEND_W = 250;
    private static final int HEAD = 58;
    private static final int NOTE_H = 17;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private String subtitle = "";
    private boolean logX;
    private boolean logY;
    private double[] xTicks = new double[0];
    private List<String> categories = List.of();
    private final List<String> notes = new ArrayList<>();
    private final List<Panel> panels = new ArrayList<>();

    SvgChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    SvgChart subtitle(String text) {
        this.subtitle = text;
        return this;
    }

    /** A logarithmic x axis with these ticks (the contender counts, say). */
    SvgChart logX(double... ticks) {
        this.logX = true;
        this.xTicks = ticks.clone();
        return this;
    }

    /** A category x axis: point x values are indexes into this list. */
    SvgChart categories(List<String> names) {
        this.categories = List.copyOf(names);
        return this;
    }

    SvgChart logY() {
        this.logY = true;
        return this;
    }

    /** A line of text under the panels (what a line style means, which data is missing). */
    SvgChart note(String text) {
        notes.add(text);
        return this;
    }

    Panel panel(int row, int column, String panelTitle) {
        Panel p = new Panel(row, column, panelTitle);
        panels.add(p);
        return p;
    }

    String render() {
        int rows = panels.stream().mapToInt(p -> p.row + 1).max().orElse(1);
        int columns = panels.stream().mapToInt(p -> p.column + 1).max().orElse(1);
        Map<String, String> colours = new LinkedHashMap<>();
        for (Panel p : panels) {
            for (Series s : p.series) {
                colours.computeIfAbsent(s.subject, k -> PALETTE[colours.size() % PALETTE.length]);
            }
        }
        int width = columns * CELL_W + LEGEND_W;
        List<String> noteLines = new ArrayList<>();
        notes.forEach(n -> noteLines.addAll(wrap(n, (width - 28) / 6)));
        int height = HEAD + rows * CELL_H + noteLines.size() * NOTE_H + 12;
        StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\" fill=\"#222\">\n",
                width,
                height,
                width,
                height));
        svg.append("<title>").append(esc(title)).append("</title>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
        svg.append(text(14, 24, "font-size=\"16\" font-weight=\"bold\"", title));
        svg.append(text(14, 44, "fill=\"#555\"", subtitle));
        for (int r = 0; r < rows; r++) {
            double[] range = yRange(r);
            List<Series> legend = new ArrayList<>();
            for (Panel p : panels) {
                if (p.row == r) {
                    panel(svg, p, range, colours);
                    for (Series s : p.series) {
                        if (legend.stream().noneMatch(l -> l.subject.equals(s.subject))) {
                            legend.add(s);
                        }
                    }
                }
            }
            legend(svg, r, columns * CELL_W + 6, HEAD + r * CELL_H + TOP, legend, colours);
        }
        svg.append("<g class=\"notes\">\n");
        for (int i = 0; i < noteLines.size(); i++) {
            svg.append(text(14, HEAD + rows * CELL_H + i * NOTE_H + 4, "fill=\"#555\"", noteLines.get(i)));
        }
        svg.append("</g>\n</svg>\n");
        return svg.toString();
    }

    /** The y range of a row: every point and reference of its panels, widened to whole decades or a round top. */
    private double[] yRange(int row) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Panel p : panels) {
            if (p.row != row) {
                continue;
            }
            List<Double> ys = new ArrayList<>();
            p.references.forEach(ref -> ys.add(ref.y));
            p.series.forEach(s -> s.lines.forEach(l -> l.points.forEach(pt -> ys.add(pt[1]))));
            for (double y : ys) {
                if (Double.isFinite(y) && (!logY || y > 0)) {
                    min = Math.min(min, y);
                    max = Math.max(max, y);
                }
            }
        }
        if (logY) {
            if (min > max) {
                return new double[] {1, 10};
            }
            double lo = Math.pow(10, Math.floor(Math.log10(min)));
            double hi = Math.pow(10, Math.ceil(Math.log10(max)));
            return new double[] {lo, hi > lo ? hi : lo * 10};
        }
        double step = max > 0 ? niceStep(max / 6) : 1;
        double hi = max > 0 ? Math.ceil(max * 1.05 / step) * step : 1;
        return new double[] {Math.min(0, min > max ? 0 : min), hi};
    }

    private void panel(StringBuilder svg, Panel p, double[] y, Map<String, String> colours) {
        int ox = p.column * CELL_W + LEFT;
        int oy = HEAD + p.row * CELL_H + TOP;
        svg.append(String.format(
                Locale.ROOT,
                "<g class=\"panel\" data-panel=\"%s\" transform=\"translate(%d,%d)\">\n",
                esc(p.title),
                ox,
                oy));
        svg.append(text(0, -10, "font-weight=\"bold\"", p.title));
        yAxis(svg, y);
        double[] x = xRange(p);
        xAxis(svg, x);
        for (int i = 0; i < p.references.size(); i++) {
            Reference ref = p.references.get(i);
            double x1 = Double.isNaN(ref.from) ? 0 : xPos(ref.from, x);
            double x2 = Double.isNaN(ref.to) ? PLOT_W : xPos(ref.to, x);
            double yy = yPos(ref.y, y);
            svg.append("<g class=\"reference\" data-label=\"")
                    .append(esc(ref.label))
                    .append("\">");
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\" stroke-dasharray=\"2 3\"/>",
                    x1,
                    yy,
                    x2,
                    yy));
            // Alternately above and below their lines, so that two references close together stay legible.
            double labelY = i % 2 == 0 ? yy - 3 : yy + 11;
            svg.append(text(x2 - 2, labelY, "text-anchor=\"end\" font-size=\"10\" fill=\"#666\"", ref.label)
                    .strip());
            svg.append("</g>\n");
        }
        if (p.series.isEmpty()) {
            svg.append(text(PLOT_W / 2.0, PLOT_H / 2.0, "text-anchor=\"middle\" fill=\"#999\"", "no data"));
        }
        for (int i = 0; i < p.series.size(); i++) {
            series(svg, p.series.get(i), i, p.series.size(), x, y, colours.get(p.series.get(i).subject));
        }
        svg.append("</g>\n");
    }

    private void series(StringBuilder svg, Series s, int index, int count, double[] x, double[] y, String colour) {
        svg.append("<g class=\"series\" data-subject=\"").append(esc(s.subject)).append("\">\n");
        double width = s.emphasis ? 3 : 1.6;
        for (Line line : s.lines) {
            // Loose dots on a category axis: each series in its own slice of the band, each trial a little apart.
            double dodge = !categories.isEmpty() && !line.style.joined()
                    ? (index - (count - 1) / 2.0) * PLOT_W / categories.size() / (count + 1.5)
                    : 0;
            StringBuilder path = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (int i = 0; i < line.points.size(); i++) {
                double[] pt = line.points.get(i);
                if (!Double.isFinite(pt[0]) || !Double.isFinite(pt[1]) || (logY && pt[1] <= 0)) {
                    continue;
                }
                double px = xPos(pt[0], x) + dodge + (line.style.joined() ? 0 : (i % 7 - 3) * 1.5);
                double py = yPos(pt[1], y);
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", px, py));
                dots.append(String.format(
                        Locale.ROOT,
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\" stroke=\"%s\"%s><title>%s</title></circle>\n",
                        px,
                        py,
                        line.style.joined() ? (s.emphasis ? "3.5" : "2.5") : "3",
                        line.style == Style.HOLLOW_DOTS ? "#fff" : colour,
                        colour,
                        line.style.joined() ? "" : " fill-opacity=\"0.75\"",
                        esc(s.subject + (line.name.isEmpty() ? "" : " " + line.name) + ": "
                                + (categories.isEmpty() ? tick(pt[0]) + ", " : categories.get((int) pt[0]) + ", ")
                                + Summary.num(pt[1]))));
            }
            if (line.style.joined() && path.length() > 0) {
                svg.append(String.format(
                        Locale.ROOT,
                        "<path class=\"line\" data-line=\"%s\" d=\"%s\" fill=\"none\" stroke=\"%s\""
                                + " stroke-width=\"%.1f\"%s/>\n",
                        esc(line.name),
                        path,
                        colour,
                        width,
                        line.style == Style.DASHED ? " stroke-dasharray=\"6 4\"" : ""));
            }
            svg.append(dots);
        }
        svg.append("</g>\n");
    }

    private void legend(StringBuilder svg, int row, int x, int y, List<Series> entries, Map<String, String> colours) {
        svg.append(String.format(Locale.ROOT, "<g class=\"legend\" data-row=\"%d\">\n", row));
        for (int i = 0; i < entries.size(); i++) {
            Series s = entries.get(i);
            String colour = colours.get(s.subject);
            int yy = y + 6 + i * 20;
            Style style = s.lines.isEmpty() ? Style.SOLID : s.lines.get(0).style;
            svg.append("<g class=\"entry\" data-subject=\"")
                    .append(esc(s.subject))
                    .append("\">");
            if (style.joined()) {
                svg.append(String.format(
                        Locale.ROOT,
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"%s\"%s/>",
                        x,
                        yy,
                        x + 26,
                        yy,
                        colour,
                        s.emphasis ? "3" : "1.6",
                        style == Style.DASHED ? " stroke-dasharray=\"6 4\"" : ""));
            } else {
                svg.append(String.format(
                        Locale.ROOT,
                        "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\" stroke=\"%s\"/>",
                        x + 13,
                        yy,
                        style == Style.HOLLOW_DOTS ? "#fff" : colour,
                        colour));
            }
            svg.append(text(x + 32, yy + 4, s.emphasis ? "font-weight=\"bold\"" : "", s.subject)
                    .strip());
            svg.append("</g>\n");
        }
        svg.append("</g>\n");
    }

    private void yAxis(StringBuilder svg, double[] y) {
        svg.append("<g class=\"axis y\">\n");
        List<Double> ticks = new ArrayList<>();
        if (logY) {
            int decades = (int) Math.round(Math.log10(y[1] / y[0]));
            for (double d = y[0]; d <= y[1] * 1.0001; d *= 10) {
                ticks.add(d);
                if (decades <= 2 && d * 2 < y[1]) {
                    ticks.add(d * 2);
                    ticks.add(d * 5);
                }
            }
        } else {
            double step = niceStep(y[1] / 7);
            for (double t = 0; t <= y[1] * 1.0001; t += step) {
                ticks.add(t);
            }
        }
        for (double t : ticks) {
            double py = yPos(t, y);
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"0\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e6e6e6\"/>"
                            + "<line x1=\"-4\" y1=\"%.1f\" x2=\"0\" y2=\"%.1f\" stroke=\"#444\"/>",
                    py,
                    PLOT_W,
                    py,
                    py,
                    py));
            svg.append(text(-7, py + 4, "text-anchor=\"end\" font-size=\"11\"", tick(t)));
        }
        svg.append(
                String.format(Locale.ROOT, "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"%d\" stroke=\"#444\"/>\n", PLOT_H));
        svg.append(String.format(
                Locale.ROOT,
                "<text transform=\"translate(%d,%.1f) rotate(-90)\" text-anchor=\"middle\">%s</text>\n",
                -LEFT + 14,
                PLOT_H / 2.0,
                esc(yLabel)));
        svg.append("</g>\n");
    }

    private void xAxis(StringBuilder svg, double[] x) {
        svg.append("<g class=\"axis x\">\n");
        svg.append(String.format(
                Locale.ROOT,
                "<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n",
                PLOT_H,
                PLOT_W,
                PLOT_H));
        List<String> labels = new ArrayList<>();
        List<Double> at = new ArrayList<>();
        for (int i = 0; i < categories.size(); i++) {
            labels.add(categories.get(i));
            at.add((double) i);
        }
        for (double t : xTicks) {
            labels.add(tick(t));
            at.add(t);
        }
        for (int i = 0; i < at.size(); i++) {
            double px = xPos(at.get(i), x);
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#444\"/>",
                    px,
                    PLOT_H,
                    px,
                    PLOT_H + 4));
            svg.append(text(px, PLOT_H + 17, "text-anchor=\"middle\" font-size=\"11\"", labels.get(i)));
        }
        svg.append(text(PLOT_W / 2.0, PLOT_H + 38, "text-anchor=\"middle\"", xLabel));
        svg.append("</g>\n");
    }

    /** The x range in data units: the category bands, or the ticks and points with a margin. */
    private double[] xRange(Panel p) {
        if (!categories.isEmpty()) {
            return new double[] {-0.5, categories.size() - 0.5};
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double t : xTicks) {
            min = Math.min(min, t);
            max = Math.max(max, t);
        }
        for (Series s : p.series) {
            for (Line l : s.lines) {
                for (double[] pt : l.points) {
                    if (Double.isFinite(pt[0]) && (!logX || pt[0] > 0)) {
                        min = Math.min(min, pt[0]);
                        max = Math.max(max, pt[0]);
                    }
                }
            }
        }
        if (min > max) {
            return new double[] {1, 10};
        }
        if (logX) {
            double pad = Math.max(Math.log(max / min), Math.log(10)) * 0.06;
            return new double[] {min * Math.exp(-pad), max * Math.exp(pad)};
        }
        double pad = Math.max(max - min, 1) * 0.06;
        return new double[] {min - pad, max + pad};
    }

    private double xPos(double v, double[] x) {
        return logX && categories.isEmpty()
                ? Math.log(v / x[0]) / Math.log(x[1] / x[0]) * PLOT_W
                : (v - x[0]) / (x[1] - x[0]) * PLOT_W;
    }

    private double yPos(double v, double[] y) {
        double f = logY ? Math.log(v / y[0]) / Math.log(y[1] / y[0]) : (v - y[0]) / (y[1] - y[0]);
        return PLOT_H - f * PLOT_H;
    }

    /** Breaks a note into lines of at most {@code width} characters, at spaces. */
    private static List<String> wrap(String note, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : note.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / magnitude;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
    }

    /** A tick label: 2k, 1.5M, 0.01, 64. */
    static String tick(double v) {
        double a = Math.abs(v);
        String suffix = "";
        if (a >= 1e6) {
            v /= 1e6;
            suffix = "M";
        } else if (a >= 1e4) {
            v /= 1e3;
            suffix = "k";
        }
        if (v == 0) {
            return "0";
        }
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString() + suffix;
    }

    private static String text(double x, double y, String attributes, String content) {
        return String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\"%s>%s</text>\n",
                x,
                y,
                attributes.isEmpty() ? "" : " " + attributes,
                esc(content));
    }

    /**
     * Text for XML content and attribute values: the five markup characters escaped, and the characters XML 1.0
     * cannot carry at all (control characters, lone surrogates) replaced by U+FFFD.
     */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c)
                            && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                            || Character.isSurrogate(c)
                            || c == 0xFFFE
                            || c == 0xFFFF) {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
