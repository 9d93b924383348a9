/**
 * The {@code argon} command line (picocli): {@code serve} opens a data directory and runs the server and
 * {@code fsck} checks a stopped one offline; the version-control verbs are thin clients of the admin
 * commands over the wire protocol, like any driver.
 */
package dev.argon.tools;
