/**
 * The {@code baton} command: runs a shell command while holding a lock ({@code baton lock}) or while elected ({@code
 * baton elect}), prints or follows an election's leader ({@code baton leader}, {@code baton observe}), and self-tests a
 * cluster with the conformance kit's history checker ({@code baton check}). The entry point is {@link
 * dev.baton.cli.Baton#main(String[])}; the exit codes are {@link dev.baton.cli.ExitCodes}. Not an API: the command
 * line and its exit codes are the contract.
 */
package dev.baton.cli;
