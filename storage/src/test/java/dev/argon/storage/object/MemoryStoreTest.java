package dev.argon.storage.object;

/** The contract on the in-memory store. */
class MemoryStoreTest extends ObjectStoreContract {

    @Override
    protected ObjectStore newStore() {
        return new MemoryStore();
    }
}
