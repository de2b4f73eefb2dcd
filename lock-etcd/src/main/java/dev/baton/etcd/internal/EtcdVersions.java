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
package dev.baton.etcd.internal;

/**
 * What is known about etcd server versions that matters to the locks. Stateless and threadsafe.
 */
public final class EtcdVersions {
    private EtcdVersions() {}

    /**
     * Tells whether an etcd server version lets a stalled former leader revoke leases that the new leader kept alive,
     * without first checking that it still leads: every 3.x release before 3.4.31 and 3.5.13 (etcd issues 12528 and
     * 15247; fixed by pull request 16822, backported as 17465 to 3.4.31 and 17425 to 3.5.13). Later releases check
     * leadership before revoking, which narrows the window without closing it, so the client-side rule stays on for
     * every version.
     *
     * @param version the version a member reported in its Maintenance status, such as {@code 3.4.23}
     * @return whether the version is affected; false for versions that cannot be parsed
     */
    public static boolean revokesFromStaleLeader(String version) {
        if (version == null) {
            return false;
        }
        String[] parts = version.trim().split("[.\\-+]");
        if (parts.length < 3) {
            return false;
        }
        int major;
        int minor;
        int patch;
        try {
            major = Integer.parseInt(parts[0]);
            minor = Integer.parseInt(parts[1]);
            patch = Integer.parseInt(parts[2]);
        } catch (NumberFormatException e) {
            return false;
        }
        if (major != 3) {
            return false;
        }
        if (minor < 4) {
            return true;
        }
        if (minor == 4) {
            return patch < 31;
        }
        return minor == 5 && patch < 13;
    }
}
