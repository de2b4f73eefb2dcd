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

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Parses the charts as XML, as a browser would have to, and reads their series back. */
final class SvgDocs {
    private SvgDocs() {}

    /** Parses with no DTD, no external entities and no XInclude: a chart needs none, and may not sneak one in. */
    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(null);
        return b.parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** The {@code data-subject} of every series, by the {@code data-panel} of the panel that holds it. */
    static Map<String, List<String>> seriesByPanel(Document doc) {
        Map<String, List<String>> panels = new LinkedHashMap<>();
        for (Element panel : groups(doc.getDocumentElement(), "panel")) {
            List<String> subjects = new ArrayList<>();
            groups(panel, "series").forEach(s -> subjects.add(s.getAttribute("data-subject")));
            panels.put(panel.getAttribute("data-panel"), subjects);
        }
        return panels;
    }

    /** The {@code <g>} elements under {@code root} whose class is {@code name}. */
    static List<Element> groups(Element root, String name) {
        List<Element> found = new ArrayList<>();
        NodeList all = root.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
        for (int i = 0; i < all.getLength(); i++) {
            Element g = (Element) all.item(i);
            if (g.getAttribute("class").equals(name)) {
                found.add(g);
            }
        }
        return found;
    }
}
