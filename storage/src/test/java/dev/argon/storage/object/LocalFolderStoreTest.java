package dev.argon.storage.object;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The contract on the local folder store, and what only a folder has: files, temporaries, reopening. */
class LocalFolderStoreTest extends ObjectStoreContract {

    private Path root;

    @Override
    protected ObjectStore newStore() throws IOException {
        root = Files.createTempDirectory("argon-objects");
        return new LocalFolderStore(root);
    }

    private List<Path> temporaries() throws IOException {
        try (Stream<Path> s = Files.list(root.resolve(LocalFolderStore.TMP_DIR))) {
            return s.toList();
        }
    }

    @Test
    void objectsAreFilesAtTheirKeysAndSurviveReopening() {
        store.put("segments/abc", bytes("x"));
        assertTrue(Files.isRegularFile(root.resolve("segments/abc")));
        try (LocalFolderStore again = new LocalFolderStore(root)) {
            assertArrayEquals(bytes("x"), again.get("segments/abc"));
        }
    }

    @Test
    void noTemporaryFileRemainsAfterSuccessOrFailure() throws IOException {
        store.put("a", bytes("x"));
        assertFalse(store.putIfAbsent("a", bytes("y")));
        assertThrows(ObjectStoreException.class, () -> store.put("b", failingAfter(new byte[100], 50), 100));
        assertEquals(List.of(), temporaries());
    }

    @Test
    void staleTemporariesOfACrashAreRemovedOnOpenAndYoungOnesKept() throws IOException {
        Path tmp = root.resolve(LocalFolderStore.TMP_DIR);
        Path stale = Files.write(tmp.resolve("stale.part"), new byte[10]);
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path young = Files.write(tmp.resolve("young.part"), new byte[10]);
        new LocalFolderStore(root).close();
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(young));
        assertEquals(List.of(), store.list(""));
    }

    @Test
    void aKeyInsideAnObjectsNameIsAClearError() {
        store.put("a/b", bytes("x"));
        ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> store.put("a/b/c", bytes("y")));
        assertEquals(ObjectStoreException.Kind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains("a/b"), e.getMessage());
        assertArrayEquals(bytes("x"), store.get("a/b"));
        assertEquals(ObjectStoreException.Kind.NOT_FOUND, assertThrows(ObjectStoreException.class, () -> store.get("a")).kind());
    }

    @Test
    void nothingIsWrittenOutsideTheFolder() throws IOException {
        Path outside = root.getParent().resolve(root.getFileName() + "-outside");
        assertThrows(ObjectStoreException.class, () -> store.put("../" + outside.getFileName() + "/x", bytes("x")));
        assertFalse(Files.exists(outside));
    }
}
