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
/**
 * The multi-process fault campaign: {@link dev.baton.campaign.Campaign} starts the servers, the client JVMs ({@link
 * dev.baton.campaign.CampaignClient}), the fenced resource and the nemesis, then checks the histories across processes.
 * Not a library: run it with {@code lock-campaign/run}; see RELIABILITY.md.
 */
package dev.baton.campaign;
