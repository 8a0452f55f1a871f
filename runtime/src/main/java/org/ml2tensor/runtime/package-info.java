/**
 * Runs ml2tensor ONNX models (and plain single-input ONNX models) with ONNX Runtime.
 *
 * <p>Entry point: {@link org.ml2tensor.runtime.Predictor#open(java.nio.file.Path, PredictorOptions)}.
 * A {@link org.ml2tensor.runtime.Predictor} chooses an execution provider (CUDA with a cheap
 * availability probe and a CPU fallback), reads the model's metadata into a {@link
 * org.ml2tensor.runtime.ModelInfo}, validates inputs, splits large inputs into batches and copies
 * outputs into typed {@link org.ml2tensor.runtime.Predictions} before any native value is released.
 */
package org.ml2tensor.runtime;
