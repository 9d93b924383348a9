package dev.argon.engine.store;

/**
 * Thrown by a write started {@code inline} (on a thread that must not wait, such as the wire layer's event loop)
 * when it would have to wait: the branch's write lock is held by a longer write. Nothing of the command has been
 * written then; its caller runs it again where waiting is allowed. Carries no stack trace: it is a signal, thrown
 * on the hot path whenever a long write holds the lock.
 */
public final class WouldBlock extends RuntimeException {
    public WouldBlock(String what) {
        super(what, null, false, false);
    }
}
