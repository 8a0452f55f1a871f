package org.ml2tensor.bench.peers;

import org.ml2tensor.cli.bench.Candidate;

import java.nio.file.Path;

import com.microsoft.ml.lightgbm.PredictionType;
import io.github.metarank.lightgbm4j.LGBMBooster;

/** LightGBM's own predictor through lightgbm4j ({@code predictForMat}). */
final class LightgbmPeer implements Candidate {
    private final LGBMBooster booster;
    private final int width;
    private final String params;

    LightgbmPeer(Path model, int width, int threads) throws Exception {
        this.booster = LGBMBooster.createFromModelfile(model.toString());
        this.width = width;
        this.params = "num_threads=" + threads;
    }

    @Override
    public String name() {
        return "peer: lightgbm4j";
    }

    @Override
    public boolean peer() {
        return true;
    }

    @Override
    public void predict(float[] rows, int n) throws Exception {
        booster.predictForMat(rows, n, width, true, PredictionType.C_API_PREDICT_NORMAL, params);
    }

    @Override
    public void close() throws Exception {
        booster.close();
    }
}
