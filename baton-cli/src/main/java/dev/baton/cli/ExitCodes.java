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
package dev.baton.cli;

/**
 * The exit codes of the {@code baton} command, besides the command's own code that {@code baton lock} and {@code
 * baton elect} pass on. Listed in {@code baton --help} and the README; scripts rely on them, so they never change.
 *
 * <p>Constants only; threadsafe.
 */
public final class ExitCodes {
    /** Success: the leader was printed, the check found nothing wrong. */
    public static final int OK = 0;

    /** {@code baton check} found a violation (an overlap, a token out of order, a loss told too late). */
    public static final int CHECK_FAILED = 1;

    /** Bad usage: an unknown option, a missing argument, an invalid name or duration. */
    public static final int USAGE = 2;

    /** {@code baton leader}: nobody leads the election. */
    public static final int NO_LEADER = 3;

    /** The lock or the leadership was lost while the command ran; the command was stopped. */
    public static final int LOST = 120;

    /** The lock was not acquired (or the election not won) within {@code --timeout}. */
    public static final int TIMEOUT = 121;

    /** The server could not be reached (or did not answer in time). */
    public static final int UNAVAILABLE = 122;

    /** No URI, a bad URI, a backend missing for its scheme, or credentials the server refused. */
    public static final int CONFIGURATION = 123;

    /** An unexpected failure of baton itself (a stack trace follows on standard error). */
    public static final int INTERNAL = 125;

    /** The command was found but could not be run (not executable). */
    public static final int COMMAND_NOT_EXECUTABLE = 126;

    /** The command was not found. */
    public static final int COMMAND_NOT_FOUND = 127;

    private ExitCodes() {}
}
