package org.ml2tensor.importers.sklearn;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/** Errors about a whole nested estimator (its object path), for the meta-estimator converters. */
final class Ml2TensorExceptions {
    private Ml2TensorExceptions() {
    }

    static Ml2TensorException unsupported(SklearnObject est, String msg, String hint) {
        return Ml2TensorException.of(ErrorCode.UNSUPPORTED, est.simpleName() + " is " + msg).at(est.path())
                .hint(hint).build();
    }

    static Ml2TensorException invalid(SklearnObject est, String attr, String msg) {
        return est.invalid(attr, msg);
    }
}
