/**
 * Server, handshake and diagnostic commands (hello, buildInfo, serverStatus, ...). Stateless handlers. An awaitable
 * {@code hello} is validated and marked awaitable here; the wire layer holds it back and streams it.
 */
package dev.argon.engine.command.admin;
