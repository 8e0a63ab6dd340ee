package dev.chainrule.nn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Replaces a file so that, whatever happens (an exception, a full disk, a SIGKILL, a power cut after the call
 * returns), the target holds either its old content or the complete new one.
 *
 * <p>The new content goes to a temporary file in the target's folder (a rename is atomic only within one file
 * system), named {@code .<target name>.<16 hex digits>.tmp}; it is forced to disk, renamed over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE}, and the folder is forced too, so that the rename itself survives a power
 * cut. On an exception the temporary file is deleted. A writer killed outright cannot delete it: such an orphan
 * stays until the next save to the same target deletes it. A save holds an exclusive lock on its temporary file
 * until the rename, and a later save deletes only the temporary files that it can lock, whose writer is gone (the
 * operating system drops a dead process's locks), never one that another save is still writing.
 */
public final class AtomicFiles {
    private static final Pattern TEMPORARY_SUFFIX = Pattern.compile("[0-9a-f]{16}\\.tmp");

    /** Writes the new content to a channel open on the temporary file. */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the whole content.
         *
         * @param channel the temporary file, empty, positioned at 0
         * @throws IOException if writing fails; the target is then left as it was
         */
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Replaces the target's content, or creates it.
     *
     * @param target the file to write; its folder must exist
     * @param content what to write
     * @throws IOException if any step fails; the target then holds what it held before. A missing folder is a
     *     {@link NoSuchFileException}, and a target that is a folder a {@link FileSystemException}, both naming the
     *     target
     */
    public static void replace(Path target, Content content) throws IOException {
        checkTarget(target);
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        String prefix = "." + absolute.getFileName() + ".";
        deleteOrphans(folder, prefix);
        Temporary temporary = createTemporary(folder, prefix);
        boolean moved = false;
        try (FileChannel channel = temporary.channel(); FileLock lock = lockIfSupported(channel)) {
            content.writeTo(channel);
            channel.force(true);
            Files.move(temporary.path(), absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                deleteQuietly(temporary.path());
            }
        }
        forceFolder(folder);
    }

    /**
     * Checks that a target can be written: its folder exists and it is not itself a folder. {@link #replace} checks
     * this first; call it early too, before long work whose result is to be written there.
     *
     * @param target the file to be written
     * @throws NoSuchFileException naming the target, if its folder does not exist
     * @throws FileSystemException naming the target, if it is a folder
     */
    public static void checkTarget(Path target) throws FileSystemException {
        // Said in terms of the target, not later in terms of the temporary file that the user never named.
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(target.toString(), null, "its folder " + folder + " does not exist");
        }
        if (Files.isDirectory(absolute)) {
            throw new FileSystemException(target.toString(), null, "is a folder, not a file");
        }
    }

    /**
     * Replaces the target's content with the given bytes, or creates it: a picture, a text, any small file.
     *
     * @param target the file to write; its folder must exist
     * @param bytes the whole new content, read and not kept
     * @throws IOException if any step fails; the target then holds what it held before
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        replace(target, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    /** A new temporary file, open for writing. */
    private record Temporary(Path path, FileChannel channel) {}

    private static Temporary createTemporary(Path folder, String prefix) throws IOException {
        while (true) {
            Path path = folder.resolve(prefix + String.format("%016x", ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                return new Temporary(path,
                        FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            } catch (FileAlreadyExistsException e) {
                // another save drew the same name: draw again
            }
        }
    }

    /**
     * An exclusive lock on the whole file, or null where the file system has no locks (some network file systems):
     * the save then goes on unlocked, and its temporary file, if orphaned, is never deleted by a later save.
     */
    private static FileLock lockIfSupported(FileChannel channel) {
        try {
            return channel.tryLock();
        } catch (IOException e) {
            return null;
        }
    }

    /** Deletes the temporary files of earlier saves to the same target whose writer is gone. */
    private static void deleteOrphans(Path folder, String prefix) {
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(folder, p -> isTemporary(p, prefix))) {
            for (Path candidate : candidates) {
                deleteIfUnlocked(candidate);
            }
        } catch (IOException | DirectoryIteratorException e) {
            // Cleaning up is a courtesy: a folder we cannot list leaves the orphans, and the save goes on.
        }
    }

    private static boolean isTemporary(Path path, String prefix) {
        String name = path.getFileName().toString();
        return name.startsWith(prefix) && TEMPORARY_SUFFIX.matcher(name.substring(prefix.length())).matches();
    }

    private static void deleteIfUnlocked(Path candidate) {
        try (FileChannel channel = FileChannel.open(candidate, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock != null) {
                Files.deleteIfExists(candidate);
            }
        } catch (IOException | OverlappingFileLockException e) {
            // Held by a save in this JVM or another process, or gone already: not an orphan to delete.
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // The save has failed already, and that is the error to report; the next save deletes the orphan.
        }
    }

    /** Forces the folder's entries to disk, so that the rename survives a power cut; not every platform can. */
    private static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows cannot open a folder as a channel; there the rename is as durable as the platform makes it.
        }
    }
}
