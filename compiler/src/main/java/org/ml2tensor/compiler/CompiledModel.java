package org.ml2tensor.compiler;

import org.ml2tensor.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A compiled model: the serialised ONNX bytes, the metadata written into them, and the compile report.
 * The bytes are deterministic: the same IR and options always give the same bytes.
 */
public record CompiledModel(byte[] onnx, Map<String, String> metadata, CompileReport report) {
    public CompiledModel {
        metadata = Map.copyOf(metadata);
    }

    @Override
    public byte[] onnx() {
        return onnx.clone();
    }

    /** Writes the ONNX file atomically (temporary file in the same folder, then rename). */
    public void writeTo(Path file) throws IOException {
        AtomicFiles.write(file, onnx);
    }
}
