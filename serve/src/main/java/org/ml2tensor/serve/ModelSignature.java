package org.ml2tensor.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ml2tensor.runtime.ElementType;
import org.ml2tensor.runtime.ModelInfo;
import org.ml2tensor.runtime.TensorSpec;

/**
 * A served model's protocol-facing schema: its inputs and the outputs the runtime returns, with protocol
 * data types and shapes ({@code -1} for the batch and other dynamic dimensions).
 */
public record ModelSignature(List<TensorMetadata> inputs, List<TensorMetadata> outputs) {
    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** The signature of a loaded model. */
    public static ModelSignature of(ModelInfo info) {
        List<TensorMetadata> in = new ArrayList<>();
        for (TensorSpec s : info.inputs()) {
            if (s.tensor()) {
                List<Long> shape = s.shape();
                if (s.name().equals(info.inputName()) && shape.size() == 2 && info.featureCount() >= 0) {
                    shape = List.of(-1L, (long) info.featureCount());
                }
                in.add(new TensorMetadata(s.name(), Datatype.of(s.elementType()), shape));
            }
        }
        List<TensorMetadata> out = new ArrayList<>();
        for (TensorSpec s : info.outputs()) {
            if (s.tensor() && s.rank() >= 1 && s.elementType() != ElementType.OTHER
                    && s.elementType() != ElementType.BFLOAT16) {
                out.add(new TensorMetadata(s.name(), Datatype.of(s.elementType()), s.shape()));
            }
        }
        return new ModelSignature(in, out);
    }

    public Optional<TensorMetadata> output(String name) {
        return outputs.stream().filter(o -> o.name().equals(name)).findFirst();
    }
}
