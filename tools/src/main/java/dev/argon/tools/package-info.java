/**
 * The {@code argon} command line (picocli): {@code serve} opens a data directory and runs the server and
 * {@code fsck} checks a stopped one offline; the version-control verbs and {@code gc} are thin clients of the
 * admin commands over the wire protocol, like any driver. Durations in options ({@code --history-retention},
 * {@code --reflog-window}, {@code --gc-interval}) are read by {@code Durations}.
 */
package dev.argon.tools;
