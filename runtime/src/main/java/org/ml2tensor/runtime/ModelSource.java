package org.ml2tensor.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/** Where a model's bytes come from: a file or memory (the Predictor hands ORT checked bytes either way). */
sealed interface ModelSource permits ModelSource.File, ModelSource.Bytes {
    /** Name used in messages. */
    String displayName();

    /** The model bytes (read on demand for files, e.g. to fingerprint them for the cache). */
    byte[] bytes();

    record File(Path path) implements ModelSource {
        public File {
            if (!Files.exists(path)) {
                throw Ml2TensorException.of(ErrorCode.IO, "model file not found").at(path.toString())
                        .hint("check the path").build();
            }
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw Ml2TensorException.of(ErrorCode.IO, "model path is not a readable file").at(path.toString()).build();
            }
            try {
                if (Files.size(path) == 0) {
                    throw Ml2TensorException.of(ErrorCode.MODEL_FORMAT, "model file is empty, not an ONNX model")
                            .at(path.toString()).hint("pass an .onnx file written by `ml2tensor compile`").build();
                }
            } catch (IOException e) {
                throw Ml2TensorException.of(ErrorCode.IO, "cannot read model file: " + e.getMessage())
                        .at(path.toString()).cause(e).build();
            }
        }

        @Override
        public String displayName() {
            return path.toString();
        }

        @Override
        public byte[] bytes() {
            try {
                return Files.readAllBytes(path);
            } catch (NoSuchFileException e) {
                throw Ml2TensorException.of(ErrorCode.IO, "model file not found").at(path.toString()).cause(e).build();
            } catch (IOException e) {
                throw Ml2TensorException.of(ErrorCode.IO, "cannot read model file: " + e.getMessage())
                        .at(path.toString()).cause(e).build();
            }
        }
    }

    record Bytes(byte[] model, String displayName) implements ModelSource {
        public Bytes {
            if (model.length == 0) {
                throw Ml2TensorException.of(ErrorCode.MODEL_FORMAT, "model bytes are empty, not an ONNX model")
                        .at(displayName).build();
            }
        }

        @Override
        public byte[] bytes() {
            return model;
        }
    }
}
