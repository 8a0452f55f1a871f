package org.ml2tensor.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Extracts ONNX Runtime's native libraries once into a per-user cache folder keyed by ONNX Runtime
 * version, flavour and platform, and points ONNX Runtime at it ({@code onnxruntime.native.path}), instead
 * of letting every JVM extract 26 MB into a new {@code onnxruntime-java<random>} temporary folder (which
 * ONNX Runtime 1.26 leaves behind, empty, because it asks to delete the folder before its files).
 *
 * <p>The folder is {@code $ML2TENSOR_CACHE_DIR}, else {@code $XDG_CACHE_HOME/ml2tensor}, else
 * {@code $HOME/.cache/ml2tensor}, plus {@code onnxruntime-<version>-<cpu|gpu>-<os-arch>}. Files are written
 * to a temporary name and renamed, so concurrent JVMs never load a half-written library; a cached file is
 * reused only when its size equals the bundled one. The cache is used only when it is a directory owned
 * by this user and not writable by others. A user-set {@code onnxruntime.native.path}, or any failure,
 * leaves ONNX Runtime's own loading unchanged. The CUDA provider (344 MB) is extracted only when CUDA is
 * about to be tried ({@link #ensureProvider}).
 */
public final class OrtNatives {
    /** The system property ONNX Runtime's Java binding reads. */
    public static final String NATIVE_PATH_PROPERTY = "onnxruntime.native.path";
    /** Environment variable overriding the cache root. */
    public static final String CACHE_ENV = "ML2TENSOR_CACHE_DIR";

    private static final List<String> CORE = List.of("onnxruntime", "onnxruntime4j_jni", "onnxruntime_providers_shared");

    private static Status status;

    private OrtNatives() {
    }

    /**
     * What {@link #prepare()} did.
     *
     * @param folder  the folder ONNX Runtime loads from, when this class set it (or the user did)
     * @param userSet whether {@code onnxruntime.native.path} was already set by the user
     * @param note    why the cache is not used, when it is not
     */
    public record Status(Optional<Path> folder, boolean userSet, String note) {
    }

    /** Prepares the cache and sets {@code onnxruntime.native.path}; call before ONNX Runtime loads. Idempotent. */
    public static synchronized Status prepare() {
        if (status == null) {
            status = compute();
        }
        return status;
    }

    /**
     * Extracts one provider library (e.g. {@code onnxruntime_providers_cuda}) into the cache folder when
     * the cache is in use, so ONNX Runtime finds it there instead of extracting it to a temporary folder.
     */
    public static synchronized void ensureProvider(String library) {
        Status s = prepare();
        if (s.userSet() || s.folder().isEmpty()) {
            return;
        }
        try {
            extract(s.folder().get(), library);
        } catch (IOException | RuntimeException e) {
            // ONNX Runtime then extracts it to its temporary folder, as it would without the cache.
        }
    }

    private static Status compute() {
        String user = System.getProperty(NATIVE_PATH_PROPERTY);
        if (user != null) {
            return new Status(Optional.of(Path.of(user)), true, "set by -D" + NATIVE_PATH_PROPERTY);
        }
        String osArch = osArch();
        if (osArch == null) {
            return new Status(Optional.empty(), false, "unknown platform");
        }
        String version = Optional.ofNullable(ai.onnxruntime.OrtEnvironment.class.getPackage())
                .map(Package::getImplementationVersion).orElse(null);
        if (version == null || resource(osArch, "onnxruntime") == null) {
            return new Status(Optional.empty(), false, "no bundled native library for " + osArch);
        }
        String flavour = resource(osArch, "onnxruntime_providers_cuda") != null ? "gpu" : "cpu";
        try {
            Path root = cacheRoot();
            Path folder = root.resolve("onnxruntime-" + version + "-" + flavour + "-" + osArch);
            createPrivate(root);
            createPrivate(folder);
            String unsafe = unsafe(folder);
            if (unsafe != null) {
                return new Status(Optional.empty(), false, folder + " " + unsafe);
            }
            for (String lib : CORE) {
                extract(folder, lib);
            }
            System.setProperty(NATIVE_PATH_PROPERTY, folder.toString());
            return new Status(Optional.of(folder), false, "");
        } catch (IOException | RuntimeException e) {
            return new Status(Optional.empty(), false, "cache not usable: " + e.getMessage());
        }
    }

    /** The cache root from the environment. */
    static Path cacheRoot() {
        String dir = System.getenv(CACHE_ENV);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "ml2tensor");
        }
        // $HOME first, as the launch scripts use it (Java's user.home comes from the password database).
        String home = System.getenv("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".cache", "ml2tensor");
    }

    private static void createPrivate(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            if (posix(dir.getParent() == null ? dir : dir.getParent())) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        } catch (FileAlreadyExistsException e) {
            // created by a concurrent JVM
        }
    }

    private static boolean posix(Path existingOrParent) {
        Path p = existingOrParent;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p != null && supportsPosix(p);
    }

    private static boolean supportsPosix(Path p) {
        try {
            return Files.getFileStore(p).supportsFileAttributeView("posix");
        } catch (IOException e) {
            return false;
        }
    }

    /** Null when {@code folder} is a real directory of this user that others cannot write; else why not. */
    private static String unsafe(Path folder) throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return "is not a directory";
        }
        if (!supportsPosix(folder)) {
            return null;
        }
        String owner = Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS).getName();
        if (!owner.equals(System.getProperty("user.name"))) {
            return "belongs to " + owner;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS);
        if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            return "is writable by other users";
        }
        return null;
    }

    private static void extract(Path folder, String library) throws IOException {
        String osArch = osArch();
        URL url = resource(osArch, library);
        if (url == null) {
            return;
        }
        Path target = folder.resolve(System.mapLibraryName(library));
        URLConnection c = url.openConnection();
        long size = c.getContentLengthLong();
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && size >= 0 && Files.size(target) == size) {
            return;
        }
        Path tmp = Files.createTempFile(folder, ".extract-", ".tmp");
        try {
            try (InputStream in = c.getInputStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static URL resource(String osArch, String library) {
        return OrtNatives.class.getResource("/ai/onnxruntime/native/" + osArch + "/" + System.mapLibraryName(library));
    }

    /** ONNX Runtime's folder name for this platform, e.g. {@code linux-x64}; null when unknown. */
    static String osArch() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.contains("linux") ? "linux" : os.contains("win") ? "win"
                : os.contains("mac") || os.contains("darwin") ? "osx" : null;
        String a = arch.startsWith("amd64") || arch.startsWith("x86_64") ? "x64"
                : arch.startsWith("aarch64") ? "aarch64" : null;
        return o == null || a == null ? null : o + "-" + a;
    }
}
