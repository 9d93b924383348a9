/** Server, handshake and diagnostic commands (hello, buildInfo, serverStatus, ...). Stateless handlers. */
package dev.argon.engine.command.admin;
