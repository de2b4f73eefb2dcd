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
package dev.baton.lock.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history timeline as a person sees it (issue 17, item 3): the page of a small history with a known overlap,
 * rendered by headless Chromium, shows the overlap in red in the chart (screenshot) and, once its script has run,
 * has the overlap drawn as an element and listed with a link to it (the DOM). The test installs nothing: it finds
 * {@code chromium} (Debian's package; or the path in {@code BATON_CHROMIUM}) and is skipped, with a message, where
 * there is none, unless {@code BATON_REQUIRE_BROWSER} is set (CI sets it): then it fails. The page and the screenshot
 * stay in {@code target/timeline-browser/} for a person to look at.
 */
@ExtendWith(TckTimeoutExtension.class)
@TckTimeout(seconds = 180)
class TimelineBrowserTest {
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 800;
    /** The page's violation list, on the right; the chart is left of it. */
    private static final int LIST_WIDTH = 360;

    @Test
    void a_known_overlap_is_drawn_in_red_and_listed_in_headless_chromium(@TempDir Path profile) throws Exception {
        Path browser = browser();
        Path out = Path.of("target", "timeline-browser").toAbsolutePath();
        Files.createDirectories(out);
        Path page = HistoryTimeline.builder("known overlap <b>&amp;</b>")
                .note("client-b acquires while client-a holds x")
                .add(HistoryTimelineTest.knownOverlap())
                .fault("client-a paused", 1_500, 2_500)
                .build()
                .write(out.resolve("known-overlap.html"));
        Path png = out.resolve("known-overlap.png");
        Files.deleteIfExists(png);

        String dom = run(browser, profile, png, page);

        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).as("screenshot %s", png).hasSizeGreaterThan(1000);
        assertThat(java.util.Arrays.copyOf(bytes, 8))
                .as("PNG signature")
                .containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        assertThat(redPixels(image, WIDTH - LIST_WIDTH))
                .as("red pixels of the drawn overlap in the chart of %s", png)
                .isGreaterThan(100);

        String violation = startTag(dom, "id=\"violation-0\"");
        assertThat(violation)
                .as("the drawn overlap")
                .contains("class=\"violation\"", "data-kind=\"OVERLAP\"", "data-earlier-hold=\"0\"")
                .contains("data-later-hold=\"1\"", "display: block");
        assertThat(startTag(dom, "id=\"hold-0\"")).contains("class=\"hold\"", "data-client=\"client-a\"");
        assertThat(startTag(dom, "id=\"hold-1\"")).contains("data-client=\"client-b\"", "data-token=\"2\"");
        assertThat(dom)
                .as("the listed overlap links to the drawn one")
                .containsPattern("<li class=\"violation-entry\" data-violation=\"0\"><a class=\"violation-link\""
                        + " href=\"#violation-0\">OVERLAP at \\+1 \u00b5s</a>");
        assertThat(startTag(dom, "id=\"timeline-canvas\"")).contains("data-holds=\"3\"", "data-holds-drawn=\"3\"");
        assertThat(dom)
                .as("the title is text, not markup")
                .contains("<h1 id=\"title\">known overlap &lt;b&gt;&amp;amp;&lt;/b&gt;</h1>");
    }

    /** Counts the pure red pixels (the violation's border, #d00000) left of {@code right}, below the header. */
    private static int redPixels(BufferedImage image, int right) {
        int red = 0;
        for (int y = 80; y < image.getHeight(); y++) {
            for (int x = 0; x < Math.min(right, image.getWidth()); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (r > 170 && g < 60 && b < 60) {
                    red++;
                }
            }
        }
        return red;
    }

    private static String startTag(String dom, String attribute) {
        Matcher tag = Pattern.compile("<[a-z0-9]+ [^>]*" + Pattern.quote(attribute) + "[^>]*>")
                .matcher(dom);
        assertThat(tag.find())
                .as("an element with %s in the page's DOM:%n%s", attribute, dom)
                .isTrue();
        return tag.group();
    }

    /**
     * Runs the browser headless on {@code page} with a fresh profile under {@code profile}, killing it (and its
     * children) if it has not finished within a minute: it writes a screenshot to {@code png} and prints the DOM as
     * it is after the page's scripts ran, which this returns.
     */
    private static String run(Path browser, Path profile, Path png, Path page) throws Exception {
        Path stdout = profile.resolve("stdout.txt");
        Path stderr = profile.resolve("stderr.txt");
        List<String> command = new ArrayList<>(List.of(
                browser.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--hide-scrollbars",
                "--user-data-dir=" + profile.resolve("user-data"),
                "--window-size=" + WIDTH + "," + HEIGHT,
                // the page draws synchronously on load; the budget lets any late frame settle before the capture
                "--virtual-time-budget=2000",
                "--screenshot=" + png,
                "--dump-dom",
                page.toUri().toString()));
        Process process = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(
                TckTimeouts.scaled(java.time.Duration.ofSeconds(60)).toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            fail("the browser hung (killed after 60 s): %s%nits stderr:%n%s", command, tail(stderr));
        }
        if (process.exitValue() != 0) {
            fail("the browser exited with %d: %s%nits stderr:%n%s", process.exitValue(), command, tail(stderr));
        }
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    private static String tail(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** The browser to run, or a skip (a failure under {@code BATON_REQUIRE_BROWSER}) when there is none. */
    private static Path browser() {
        Optional<Path> found = findBrowser();
        if (found.isPresent()) {
            return found.get();
        }
        String explicit = System.getenv("BATON_CHROMIUM");
        String why = explicit != null && !explicit.isBlank()
                ? "BATON_CHROMIUM (" + explicit + ") is not an executable file"
                : "no headless browser: install Debian's chromium package (apt-get install chromium), or set"
                        + " BATON_CHROMIUM to a Chromium or Chrome binary";
        String required = System.getenv("BATON_REQUIRE_BROWSER");
        if (required != null && !required.isBlank()) {
            fail(why + " (BATON_REQUIRE_BROWSER is set, so the browser test fails instead of being skipped)");
        }
        Assumptions.abort("timeline browser test skipped: " + why);
        throw new AssertionError("unreachable");
    }

    private static Optional<Path> findBrowser() {
        String explicit = System.getenv("BATON_CHROMIUM");
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
