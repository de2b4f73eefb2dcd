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

import dev.baton.lock.AccessDeniedException;
import dev.baton.lock.BackendUnavailableException;
import dev.baton.lock.LockAcquisitionTimeoutException;
import dev.baton.lock.LockLostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code baton} command's entry point: parses the command line with picocli and maps every failure onto one of
 * the {@link ExitCodes}. Run it with the {@code baton} script, or {@code java -jar baton-cli-VERSION-all.jar}.
 *
 * <p>Not instantiated by users; {@link #main(String[])} runs once per process.
 */
@Command(
        name = "baton",
        mixinStandardHelpOptions = true,
        versionProvider = Baton.Version.class,
        subcommands = {
            LockCommand.class,
            ElectCommand.class,
            LeaderCommand.class,
            ObserveCommand.class,
            CheckCommand.class,
            CommandLine.HelpCommand.class
        },
        description = {
            "Distributed locks and leader election for shell scripts, over etcd, ZooKeeper or Consul. The cluster is"
                    + " the connection URI in --uri or BATON_URI (etcd://127.0.0.1:2379/myapp, zookeeper://zk1:2181/myapp,"
                    + " consul://agent:8500/myapp). 'baton help COMMAND' tells more."
        })
public final class Baton {
    static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    static {
        // Before any logger exists: the backends' own log lines go to standard error, and never to standard output,
        // which belongs to CMD and to baton leader's answer; errors only, unless a command's --verbose asks for more.
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        if (System.getProperty(LOG_LEVEL) == null) {
            System.setProperty(LOG_LEVEL, "error");
        }
    }

    private Baton() {}

    /**
     * Runs the command line and exits the JVM with the command's exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns its exit code, without exiting.
     *
     * @param args the arguments
     * @return the exit code, one of {@link ExitCodes} or the code of the command run under a lock
     */
    public static int run(String... args) {
        CommandLine line = new CommandLine(new Baton());
        Map<String, String> codes = exitCodeHelp();
        for (CommandLine command : List.of(
                line,
                line.getSubcommands().get("lock"),
                line.getSubcommands().get("elect"),
                line.getSubcommands().get("leader"),
                line.getSubcommands().get("observe"),
                line.getSubcommands().get("check"))) {
            command.getCommandSpec()
                    .usageMessage()
                    .exitCodeListHeading("%nExit codes:%n")
                    .exitCodeList(codes);
        }
        line.setExecutionExceptionHandler((e, commandLine, parsed) -> exitCodeOf(e));
        return line.execute(args);
    }

    /** The exit codes, as every command's help lists them (the README's table says the same). */
    private static Map<String, String> exitCodeHelp() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "success; lock and elect pass on CMD's own exit code, whatever it is");
        codes.put("1", "check found a violation");
        codes.put("2", "bad usage: unknown option, missing argument, bad name or duration");
        codes.put("3", "leader: nobody leads the election");
        codes.put("120", "lock or leadership lost while CMD ran; CMD was stopped");
        codes.put("121", "lock not acquired (election not won) within --timeout");
        codes.put("122", "server unreachable");
        codes.put("123", "no URI, bad URI, backend missing, or credentials refused");
        codes.put("125", "internal error of baton (stack trace on standard error)");
        codes.put("126", "CMD could not be run");
        codes.put("127", "CMD not found");
        codes.put("130, 143", "baton interrupted (SIGINT, SIGTERM): CMD was stopped, the lock released");
        return codes;
    }

    private static int exitCodeOf(Exception e) {
        if (Messages.stopping) {
            return ExitCodes.INTERNAL; // the JVM is exiting with the signal's code; the failure is the stop itself
        }
        if (e instanceof CliException cli) {
            Messages.error(cli.getMessage());
            return cli.exitCode();
        }
        if (e instanceof LockAcquisitionTimeoutException timeout) {
            Messages.error("'" + timeout.lockName() + "' not won within --timeout: another holder kept it");
            return ExitCodes.TIMEOUT;
        }
        if (e instanceof BackendUnavailableException) {
            Messages.error("server unreachable: " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
        if (e instanceof AccessDeniedException) {
            Messages.error(e.getMessage());
            return ExitCodes.CONFIGURATION;
        }
        if (e instanceof LockLostException) {
            Messages.error(e.getMessage());
            return ExitCodes.LOST;
        }
        if (e instanceof InterruptedException) {
            return ExitCodes.INTERNAL;
        }
        Messages.error("unexpected failure: " + e);
        e.printStackTrace();
        return ExitCodes.INTERNAL;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Baton.class.getPackage().getImplementationVersion();
            return new String[] {"baton " + (version == null ? "(development build)" : version)};
        }
    }
}
