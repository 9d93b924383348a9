/**
 * The {@code argon} command line (picocli): {@code serve} opens a data directory and runs the server; the
 * version-control verbs are thin clients of the admin commands over the wire protocol, like any driver.
 */
package dev.argon.tools;
