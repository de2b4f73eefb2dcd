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

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.benchmarks.SvgChart.Style;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class SvgChartTest {
    private static final String NASTY = "a<b & c>\"d\" 'e' \u0001 \ud800 \ud83d\udd12";
    private static final String SHOWN = "a<b & c>\"d\" 'e' \ufffd \ufffd \ud83d\udd12";

    @Test
    void esc_escapes_markup_and_replaces_what_xml_cannot_carry() {
        assertThat(SvgChart.esc(NASTY))
                .isEqualTo("a&lt;b &amp; c&gt;&quot;d&quot; &#39;e&#39; \ufffd \ufffd \ud83d\udd12");
    }

    @Test
    void every_text_and_attribute_is_escaped() throws Exception {
        SvgChart chart =
                new SvgChart(NASTY, NASTY, NASTY).subtitle(NASTY).note(NASTY).categories(List.of(NASTY));
        chart.panel(0, 0, NASTY)
                .reference(NASTY, 2)
                .series(NASTY, true)
                .line(NASTY, Style.DOTS, List.<double[]>of(new double[] {0, 1}));

        Document doc = SvgDocs.parse(chart.render());

        Element panel = SvgDocs.groups(doc.getDocumentElement(), "panel").get(0);
        assertThat(panel.getAttribute("data-panel")).isEqualTo(SHOWN);
        assertThat(SvgDocs.groups(panel, "series").get(0).getAttribute("data-subject"))
                .isEqualTo(SHOWN);
        assertThat(SvgDocs.groups(panel, "reference").get(0).getAttribute("data-label"))
                .isEqualTo(SHOWN);
        assertThat(doc.getElementsByTagNameNS("*", "title").item(0).getTextContent())
                .isEqualTo(SHOWN);
        // Title, subtitle, panel title, category tick, axis labels, reference, legend entry and note.
        var texts = doc.getElementsByTagNameNS("*", "text");
        long shown = 0;
        for (int i = 0; i < texts.getLength(); i++) {
            if (texts.item(i).getTextContent().equals(SHOWN)) {
                shown++;
            }
        }
        assertThat(shown).isEqualTo(9);
    }

    @Test
    void points_off_a_log_axis_are_left_out_and_an_empty_panel_says_so() throws Exception {
        SvgChart chart = new SvgChart("t", "x", "y").logX(1, 4).logY();
        chart.panel(0, 0, "with data")
                .series("s", false)
                .line("", Style.SOLID, List.of(new double[] {1, 10}, new double[] {4, 0}, new double[] {4, Double.NaN
                }));
        chart.panel(0, 1, "empty");

        Document doc = SvgDocs.parse(chart.render());

        assertThat(doc.getElementsByTagNameNS("*", "circle").getLength()).isEqualTo(1);
        assertThat(SvgDocs.groups(doc.getDocumentElement(), "panel").get(1).getTextContent())
                .contains("no data");
    }
}
