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
package dev.baton.examples.spring;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /sample/status}: what the job and the singleton did, as JSON. Threadsafe. */
@RestController
public class StatusController {
    private final NightlyReportJob job;
    private final LeaderDuties leader;

    /**
     * Creates the controller.
     *
     * @param job the scheduled job
     * @param leader the singleton's listener
     */
    public StatusController(NightlyReportJob job, LeaderDuties leader) {
        this.job = job;
        this.leader = leader;
    }

    /**
     * Returns the status.
     *
     * @return {@code jobRuns}, {@code jobToken}, {@code leaderGrants} and {@code leaderToken}
     */
    @GetMapping("/sample/status")
    public Map<String, Object> status() {
        return Map.of(
                "jobRuns", job.runs(),
                "jobToken", job.lastToken(),
                "leaderGrants", leader.grants(),
                "leaderToken", leader.token());
    }
}
