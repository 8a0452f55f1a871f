package org.ml2tensor.compiler;

import java.util.Objects;

import org.ml2tensor.compiler.onnx.Opsets;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Options of {@link ModelCompiler#compile}.
 *
 * @param strategy          tree lowering strategy ({@link TreeStrategy#TUNED} is resolved by the runtime's tuner)
 * @param target            portable ops only, or ONNX-ML tree nodes allowed
 * @param precision         {@code auto} (follow the library), fast {@code float32}, or {@code float64}
 * @param opset             default-domain opset (13..21)
 * @param expectedBatchSize batch size the model will mostly see (steers {@code auto})
 * @param device            device the model will mostly run on (steers {@code auto})
 * @param maxTensorBytes    limit for any single constant or per-row intermediate tensor a strategy would create
 */
public record CompileOptions(TreeStrategy strategy, Target target, Precision precision, int opset,
                             int expectedBatchSize, DeviceHint device, long maxTensorBytes) {
    public CompileOptions {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(device, "device");
        Opsets.check(opset);
        if (expectedBatchSize <= 0) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "the expected batch size must be at least 1, got "
                    + expectedBatchSize).at("--expected-batch").build();
        }
        if (maxTensorBytes < 1) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "the tensor size limit must be a positive number of "
                    + "bytes, got " + maxTensorBytes).at("--max-tensor-bytes").hint("default 536870912 (512 MiB)").build();
        }
    }

    /** Defaults: auto strategy, portable, auto precision, opset 17, batch 1000, CPU, 512 MiB tensor limit. */
    public static CompileOptions defaults() {
        return new CompileOptions(TreeStrategy.AUTO, Target.PORTABLE, Precision.AUTO, Opsets.DEFAULT, 1000,
                DeviceHint.CPU, 512L << 20);
    }

    public CompileOptions withStrategy(TreeStrategy s) {
        return new CompileOptions(s, target, precision, opset, expectedBatchSize, device, maxTensorBytes);
    }

    public CompileOptions withTarget(Target t) {
        return new CompileOptions(strategy, t, precision, opset, expectedBatchSize, device, maxTensorBytes);
    }

    public CompileOptions withPrecision(Precision p) {
        return new CompileOptions(strategy, target, p, opset, expectedBatchSize, device, maxTensorBytes);
    }

    public CompileOptions withOpset(int o) {
        return new CompileOptions(strategy, target, precision, o, expectedBatchSize, device, maxTensorBytes);
    }

    public CompileOptions withExpectedBatchSize(int b) {
        return new CompileOptions(strategy, target, precision, opset, b, device, maxTensorBytes);
    }

    public CompileOptions withDevice(DeviceHint d) {
        return new CompileOptions(strategy, target, precision, opset, expectedBatchSize, d, maxTensorBytes);
    }

    public CompileOptions withMaxTensorBytes(long m) {
        return new CompileOptions(strategy, target, precision, opset, expectedBatchSize, device, m);
    }
}
