package dev.argon.storage.object;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Objects as files under a root folder (the default store, {@code <data-dir>/objects}; also a
 * {@code file:///path} backup target). The key's segments are the path's components, and {@link ObjectKeys}
 * keeps every key inside the root.
 *
 * <p>Atomic publish: a put writes a temporary file under {@code <root>/.tmp}, fsyncs it, renames it onto the
 * key's path (an atomic replace on POSIX) and fsyncs the folder, so after a crash the key holds the old file
 * or the whole new one, and the listing never shows a temporary file. {@link #putIfAbsent} hard-links the
 * temporary file instead of renaming it, which fails atomically when the name exists. Temporary files older
 * than an hour (left by a crash) are removed on open; younger ones may belong to another process writing
 * the same folder. Local I/O errors are reported as permanent: retrying at once does not mend a disk.
 *
 * <p>Thread-safe: each call works on its own temporary file, and the file system orders the renames.
 */
public final class LocalFolderStore implements ObjectStore {

    static final String TMP_DIR = ".tmp";
    private static final Duration STALE_TMP = Duration.ofHours(1);

    private final Path root;
    private final Path tmp;

    /** Opens (creating if needed) the folder {@code root}. */
    public LocalFolderStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve(TMP_DIR);
        try {
            Files.createDirectories(tmp);
            removeStaleTemporaries();
        } catch (IOException e) {
            throw failure(null, "cannot open the object folder " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public void put(String key, byte[] data) {
        publish(key, out -> writeAll(out, ByteBuffer.wrap(data)), true);
    }

    @Override
    public void put(String key, Path file) {
        publish(key, out -> {
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = in.size();
                long done = 0;
                while (done < size) {
                    done += in.transferTo(done, size - done, out);
                }
            }
        }, true);
    }

    @Override
    public void put(String key, InputStream data, long length) {
        publish(key, out -> {
            byte[] buf = new byte[64 * 1024];
            long done = 0;
            while (done < length) {
                int n = Streams.readFully(key, data, buf, 0, (int) Math.min(buf.length, length - done));
                if (n == 0) {
                    throw Streams.shortStream(key, length, done);
                }
                writeAll(out, ByteBuffer.wrap(buf, 0, n));
                done += n;
            }
        }, true);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        return publish(key, out -> writeAll(out, ByteBuffer.wrap(data)), false);
    }

    @Override
    public byte[] get(String key) {
        Path path = existing(key);
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw failure(key, "cannot read " + key, e);
        }
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        Streams.checkRange(key, offset, length);
        try (FileChannel ch = FileChannel.open(existing(key), StandardOpenOption.READ)) {
            long size = ch.size();
            if (offset >= size) {
                return new byte[0];
            }
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(length, size - offset));
            while (buf.hasRemaining()) {
                int n = ch.read(buf, offset + buf.position());
                if (n < 0) {
                    break;
                }
            }
            return buf.position() == buf.capacity() ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
        } catch (IOException e) {
            throw failure(key, "cannot read " + key, e);
        }
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        Path path = pathOf(key);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(info(key, path));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure(key, "cannot stat " + key, e);
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        ObjectKeys.checkPrefix(prefix);
        // Walk only the folder the prefix's complete segments name.
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<ObjectInfo> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(start)) {
            files.filter(p -> !p.startsWith(tmp) && Files.isRegularFile(p)).forEach(p -> {
                String key = keyOf(p);
                if (key.startsWith(prefix)) {
                    try {
                        out.add(info(key, p));
                    } catch (NoSuchFileException gone) {
                        // deleted while listing: not listed
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            throw failure(null, "cannot list " + prefix + " in " + root,
                    e instanceof java.io.UncheckedIOException u ? u.getCause() : (IOException) e);
        }
        out.sort(Comparator.comparing(ObjectInfo::key));
        return out;
    }

    @Override
    public void delete(String key) {
        Path path = pathOf(key);
        try {
            Files.deleteIfExists(path);
            // Empty folders would block a later object named like them; remove them up to the root.
            for (Path dir = path.getParent(); !dir.equals(root); dir = dir.getParent()) {
                try {
                    Files.delete(dir);
                } catch (IOException notEmptyOrGone) {
                    break;
                }
            }
        } catch (IOException e) {
            throw failure(key, "cannot delete " + key, e);
        }
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public void close() {
        // nothing held open between calls
    }

    /** Writes what {@code content} produces to a temporary file; needs to be an interface for IOException. */
    private interface Content {
        void writeTo(FileChannel out) throws IOException;
    }

    /**
     * Writes a temporary file, syncs it, then publishes it under {@code key} (replacing, or only if absent).
     * Returns false only when {@code replace} is false and the key already existed.
     */
    private boolean publish(String key, Content content, boolean replace) {
        Path target = pathOf(key);
        Path temp = tmp.resolve(UUID.randomUUID() + ".part");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                content.writeTo(out);
                out.force(true);
            }
            createParents(target.getParent());
            boolean created = true;
            if (replace) {
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw failure(key, "the object folder " + root + " cannot rename atomically", e);
                }
            } else {
                try {
                    Files.createLink(target, temp);
                } catch (FileAlreadyExistsException exists) {
                    created = false;
                }
            }
            if (created) {
                fsyncDir(target.getParent());
            }
            return created;
        } catch (NoSuchFileException e) {
            // a missing source file or temporary folder, not a missing object
            throw new ObjectStoreException(ObjectStoreException.Kind.FAILED, key,
                    "cannot store " + key + " in " + root + ": no such file " + e.getMessage(), e);
        } catch (IOException e) {
            throw failure(key, "cannot store " + key, e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // an orphan temporary file is removed on a later open
            }
        }
    }

    /** Creates missing folders one by one and syncs each one's parent, so a synced object's path survives a crash. */
    private void createParents(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        createParents(dir.getParent());
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException raced) {
            if (!Files.isDirectory(dir)) {
                throw new ObjectStoreException(ObjectStoreException.Kind.INVALID_ARGUMENT, keyOf(dir),
                        "an object " + keyOf(dir) + " exists where a folder of keys is needed in " + root);
            }
            return;
        }
        fsyncDir(dir.getParent());
    }

    private static void fsyncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void writeAll(FileChannel out, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            out.write(buf);
        }
    }

    private Path pathOf(String key) {
        Path path = root.resolve(ObjectKeys.check(key)).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            // ObjectKeys already refuses "..", so this is a second line of defence only.
            throw new ObjectStoreException(ObjectStoreException.Kind.INVALID_ARGUMENT, key,
                    "object key " + key + " leaves the folder " + root);
        }
        return path;
    }

    /** The key's path; NOT_FOUND when it is a folder of other keys rather than an object. */
    private Path existing(String key) {
        Path path = pathOf(key);
        if (Files.isDirectory(path)) {
            throw Streams.notFound(this, key);
        }
        return path;
    }

    private static ObjectInfo info(String key, Path path) throws IOException {
        java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class);
        return new ObjectInfo(key, a.size(), a.lastModifiedTime().toMillis());
    }

    private String keyOf(Path path) {
        return root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
    }

    private void removeStaleTemporaries() throws IOException {
        Instant cutoff = Instant.now().minus(STALE_TMP);
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                FileTime modified = Files.getLastModifiedTime(p);
                if (modified.toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private ObjectStoreException failure(String key, String what, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new ObjectStoreException(ObjectStoreException.Kind.NOT_FOUND, key, "no object " + key + " in " + root, e);
        }
        if (e instanceof NotDirectoryException || e instanceof FileAlreadyExistsException
                || e instanceof java.nio.file.DirectoryNotEmptyException) {
            return new ObjectStoreException(ObjectStoreException.Kind.INVALID_ARGUMENT, key,
                    what + ": a key and a folder of keys collide in " + root + " (" + e.getMessage() + ")", e);
        }
        if (e instanceof AccessDeniedException) {
            return new ObjectStoreException(ObjectStoreException.Kind.ACCESS_DENIED, key, what + ": access denied: " + e.getMessage(), e);
        }
        return new ObjectStoreException(ObjectStoreException.Kind.FAILED, key, what + " in " + root + ": " + e, e);
    }
}
