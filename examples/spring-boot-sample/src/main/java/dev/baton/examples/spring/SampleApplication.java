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

import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A Spring Boot application on Baton, configured by {@code application.properties} alone: the starter builds the
 * coordinator from {@code baton.uri}, {@link NightlyReportJob} runs on a schedule under ShedLock's {@code
 * @SchedulerLock} through the starter's Baton {@code LockProvider}, {@link LeaderDuties} hears when this process is
 * the elected singleton, and Actuator shows Baton's health and metrics at {@code /actuator/health} and {@code
 * /actuator/metrics}; {@code /sample/status} shows what the job and the singleton did. Start etcd on 127.0.0.1:2379,
 * then run {@code main} (several copies take turns: start them with {@code --server.port=0}).
 */
@SpringBootApplication
@EnableScheduling
@EnableSchedulerLock(defaultLockAtMostFor = "PT30S")
public class SampleApplication {
    /**
     * Starts the application.
     *
     * @param args Spring Boot's arguments, such as {@code --baton.uri=etcd://host:2379/app}
     */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
