package org.ml2tensor.spark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.NoticeSink;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;

/**
 * A model ready to ship to executors: its ONNX bytes and their signature. Built on the driver from an
 * {@code .onnx} file or from a scikit-learn / XGBoost / LightGBM file, which is compiled here once.
 *
 * @param onnx      serialised ONNX model
 * @param signature what the executors need to know about it
 */
public record ResolvedModel(byte[] onnx, ModelSignature signature) {
    /** Larger model files are refused before they are read into the driver's heap. */
    static final long MAX_MODEL_BYTES = 2L << 30;

    public ResolvedModel {
        Objects.requireNonNull(onnx, "onnx");
        Objects.requireNonNull(signature, "signature");
    }

    /**
     * Reads {@code path} through Hadoop's file systems ({@code file:}, {@code hdfs:}, {@code s3a:}, …;
     * plain paths are local) and compiles it when it is a source model.
     */
    public static ResolvedModel fromPath(String path, Configuration hadoopConf) {
        Objects.requireNonNull(path, "path");
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        byte[] bytes;
        try {
            FileSystem fs = p.getFileSystem(hadoopConf);
            long length = fs.getFileStatus(p).getLen();
            if (length > MAX_MODEL_BYTES) {
                throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "the model file has " + length + " bytes, over the 2 GiB limit")
                        .at(path).build();
            }
            try (InputStream in = fs.open(p)) {
                bytes = in.readAllBytes();
            }
        } catch (java.io.FileNotFoundException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "no such file").at(path).hint("check the model path").cause(e).build();
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot read the model: " + e.getMessage()).at(path).cause(e).build();
        }
        return fromBytes(bytes, path);
    }

    /**
     * Accepts ONNX bytes or the bytes of a source model (compiled with the default options);
     * {@code displayName} names the model in messages.
     */
    public static ResolvedModel fromBytes(byte[] bytes, String displayName) {
        Objects.requireNonNull(bytes, "bytes");
        byte[] onnx = isOnnx(bytes, displayName) ? bytes : compile(bytes, displayName);
        return new ResolvedModel(onnx, describe(onnx, displayName));
    }

    private static boolean isOnnx(byte[] bytes, String displayName) {
        return withTempFile(bytes, displayName, file -> ModelImporter.detect(file) == ModelFormat.ONNX);
    }

    private static byte[] compile(byte[] source, String displayName) {
        return withTempFile(source, displayName,
                file -> ModelCompiler.compile(ModelImporter.load(file, ModelFormat.AUTO), CompileOptions.defaults()).onnx());
    }

    /** Opens the model once on the driver's CPU to read its signature, then closes it. */
    private static ModelSignature describe(byte[] onnx, String displayName) {
        PredictorOptions options = PredictorOptions.builder().device(Device.CPU).intraOpThreads(1).parallelRuns(1)
                .noticeSink(NoticeSink.SILENT).build();
        try (Predictor predictor = Predictor.open(onnx, displayName, options)) {
            return ModelSignature.of(sha256(onnx), predictor.info());
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Names the user's path, not the temporary copy, in an importer's message. */
    private static Ml2TensorException relabel(Ml2TensorException e, Path file, String displayName) {
        String context = e.context().contains(file.toString())
                ? e.context().replace(file.toString(), String.valueOf(displayName))
                : e.within(String.valueOf(displayName)).context();
        Ml2TensorException out = new Ml2TensorException(e.code(), e.bareMessage(), context, e.hint(), e.getCause());
        out.setStackTrace(e.getStackTrace());
        return out;
    }

    private interface FileTask<T> {
        T apply(Path file);
    }

    /** The importers read files; a source held in memory goes through a private temporary copy. */
    private static <T> T withTempFile(byte[] bytes, String displayName, FileTask<T> task) {
        Path dir = null;
        Path file = null;
        try {
            dir = Files.createTempDirectory("ml2tensor-spark");
            String name = displayName == null ? "model" : displayName.replaceAll(".*[/\\\\]", "");
            if (name.isEmpty() || !name.matches("[A-Za-z0-9._-]+")) {
                name = "model";
            }
            file = Files.write(dir.resolve(name), bytes);
            return task.apply(file);
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot write a temporary copy of the model: " + e.getMessage())
                    .at(displayName).cause(e).build();
        } catch (Ml2TensorException e) {
            throw file == null ? e : relabel(e, file, displayName);
        } finally {
            try {
                if (file != null) {
                    Files.deleteIfExists(file);
                }
                if (dir != null) {
                    Files.deleteIfExists(dir);
                }
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
    }
}
