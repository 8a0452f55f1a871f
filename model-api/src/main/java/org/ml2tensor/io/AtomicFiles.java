package org.ml2tensor.io;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * The output policy shared by {@code compile} and {@code predict}: readers see either the old content
 * or the complete new content, never a part, and nothing but the named file is ever replaced.
 *
 * <ul>
 *   <li>A regular or new file is written to a hidden temporary file in its folder and renamed over it.
 *       A symlink is resolved first: the rename goes into its target's folder, so the link survives.</li>
 *   <li>A character/block device, a FIFO or {@code -} (standard output) is never renamed over: the data is
 *       staged in a temporary file and streamed to it once complete, so write errors (e.g. {@code /dev/full})
 *       are reported.</li>
 *   <li>The folder must exist (IO error otherwise, for both commands); files are created with
 *       permissions 0644 minus the umask.</li>
 *   <li>Temporary files still pending when the JVM shuts down (Ctrl-C, SIGTERM, SIGHUP) are deleted.</li>
 * </ul>
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();
    private static final int MAX_LINKS = 40;
    private static volatile boolean hookInstalled;

    private AtomicFiles() {
    }

    /** Where an output goes. */
    public sealed interface Destination permits Replace, Stream {
        /** The name used in messages. */
        String display();
    }

    /** A regular file (existing or not) replaced by an atomic rename; {@code target} has its symlinks resolved. */
    public record Replace(Path target, String display) implements Destination {
    }

    /** A device, FIFO or socket ({@code device}), or standard output ({@code device == null}): written, never renamed over. */
    public record Stream(Path device, String display) implements Destination {
    }

    /** A temporary file being written and the destination it is for. */
    public record Temp(Path path, FileChannel channel, Destination destination) {
    }

    /** Whether {@code p} names standard output ({@code -}). */
    public static boolean isStdout(Path p) {
        return p != null && p.toString().equals("-");
    }

    /**
     * Resolves an output path under the policy above.
     *
     * @throws Ml2TensorException IO when the folder is missing, the path is a folder, or symlinks loop
     */
    public static Destination resolve(Path requested) {
        String display = requested.toString();
        if (isStdout(requested)) {
            return new Stream(null, "<standard output>");
        }
        Path p = requested.toAbsolutePath();
        try {
            for (int hops = 0; Files.isSymbolicLink(p); hops++) {
                if (hops >= MAX_LINKS) {
                    throw io("too many levels of symbolic links", display, "point the output at a regular file");
                }
                Path link = Files.readSymbolicLink(p);
                p = p.getParent() == null ? link : p.getParent().resolve(link);
            }
            Path dir = p.getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw io("the output folder does not exist", display, "create the folder first");
            }
            Path real = dir.toRealPath().resolve(p.getFileName());
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return new Replace(real, display);
            }
            if (a.isDirectory()) {
                throw io("the output path is a folder", display, "name a file inside the folder");
            }
            if (a.isOther()) {
                return new Stream(real, display);
            }
            return new Replace(real, display);
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot resolve the output path: " + e.getMessage()).at(display)
                    .cause(e).build();
        }
    }

    /**
     * Refuses an output that is the same file as one of {@code inputs} (after following links), which the
     * write would destroy.
     *
     * @throws Ml2TensorException INVALID_OPTION (exit 2)
     */
    public static void refuseSameFile(Path output, Path... inputs) {
        if (isStdout(output)) {
            return;
        }
        for (Path in : inputs) {
            if (in == null || isStdout(in) || !Files.exists(output) || !Files.exists(in)) {
                continue;
            }
            try {
                if (Files.isSameFile(output, in)) {
                    throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "the output is the same file as the input "
                                    + in + "; writing it would destroy the input")
                            .at(output.toString()).hint("choose another output file").build();
                }
            } catch (IOException e) {
                // Unreadable attributes: the write itself reports any real problem.
            }
        }
    }

    /** Creates the temporary file for {@code destination} (0644 minus umask) and registers it for deletion at shutdown. */
    public static Temp createTemp(Destination destination) {
        Path dir;
        String base;
        if (destination instanceof Replace r) {
            dir = r.target().getParent();
            base = "." + r.target().getFileName();
        } else {
            dir = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
            base = ".ml2tensor-stream";
        }
        installHook();
        for (int attempt = 0; ; attempt++) {
            byte[] r = new byte[6];
            RANDOM.nextBytes(r);
            Path temp = dir.resolve(base + "." + HexFormat.of().formatHex(r) + ".tmp");
            try {
                PENDING.add(temp);
                FileChannel ch = open(temp);
                return new Temp(temp, ch, destination);
            } catch (FileAlreadyExistsException e) {
                PENDING.remove(temp);
                if (attempt > 10) {
                    throw Ml2TensorException.of(ErrorCode.IO, "cannot create a temporary file").at(dir.toString())
                            .cause(e).build();
                }
            } catch (IOException e) {
                PENDING.remove(temp);
                throw Ml2TensorException.of(ErrorCode.IO, "cannot create the output file: " + e.getMessage())
                        .at(destination.display()).hint("check that the folder is writable").cause(e).build();
            }
        }
    }

    private static FileChannel open(Path temp) throws IOException {
        Set<OpenOption> opts = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
        if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<?> perms = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));
            return FileChannel.open(temp, opts, perms);
        }
        return FileChannel.open(temp, opts);
    }

    /**
     * Makes the temporary file's content the output: fsync and atomic rename for a file; for a stream
     * destination, copies it there (reporting write errors) and deletes it. Closes the channel.
     */
    public static void commit(Temp temp) throws IOException {
        try {
            if (temp.destination() instanceof Replace r) {
                temp.channel().force(true);
                temp.channel().close();
                try {
                    Files.move(temp.path(), r.target(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp.path(), r.target(), StandardCopyOption.REPLACE_EXISTING);
                }
                PENDING.remove(temp.path());
                syncFolder(r.target().getParent());
            } else {
                Stream s = (Stream) temp.destination();
                temp.channel().close();
                try (InputStream in = Files.newInputStream(temp.path())) {
                    if (s.device() == null) {
                        OutputStream out = new FileOutputStream(FileDescriptor.out);
                        in.transferTo(out);
                        out.flush();
                    } else {
                        try (OutputStream out = Files.newOutputStream(s.device(), StandardOpenOption.WRITE)) {
                            in.transferTo(out);
                        }
                    }
                }
            }
        } finally {
            discard(temp);
        }
    }

    /** Closes and deletes an uncommitted temporary file; idempotent. */
    public static void discard(Temp temp) {
        try {
            temp.channel().close();
        } catch (IOException e) {
            // Deleted below either way.
        }
        try {
            Files.deleteIfExists(temp.path());
        } catch (IOException e) {
            // Best effort: a hidden .tmp file never looks like a finished output.
        }
        PENDING.remove(temp.path());
    }

    private static void syncFolder(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open folders; the rename itself is already atomic.
        }
    }

    private static void installHook() {
        if (hookInstalled) {
            return;
        }
        synchronized (AtomicFiles.class) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(AtomicFiles::deletePending, "ml2tensor-temp-cleanup"));
                hookInstalled = true;
            }
        }
    }

    /** Deletes every temporary file not yet committed or discarded (run at JVM shutdown). */
    static void deletePending() {
        for (Path p : PENDING.toArray(Path[]::new)) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException | RuntimeException e) {
                // Best effort at shutdown.
            }
        }
    }

    /** Writes {@code bytes} to {@code target} under the policy above. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Temp temp = createTemp(resolve(target));
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                temp.channel().write(b);
            }
            commit(temp);
        } finally {
            discard(temp);
        }
    }

    private static Ml2TensorException io(String message, String at, String hint) {
        return Ml2TensorException.of(ErrorCode.IO, message).at(at).hint(hint).build();
    }
}
