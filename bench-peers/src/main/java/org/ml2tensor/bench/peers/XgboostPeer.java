package org.ml2tensor.bench.peers;

import org.ml2tensor.cli.bench.Candidate;

import java.nio.file.Path;
import java.util.Map;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/** XGBoost's own predictor through XGBoost4J ({@code Booster.predict} on a DMatrix built per call). */
final class XgboostPeer implements Candidate {
    private final Booster booster;
    private final int width;

    XgboostPeer(Path model, int width, int threads) throws Exception {
        this.booster = XGBoost.loadModel(model.toString());
        this.booster.setParams(Map.of("nthread", threads));
        this.width = width;
    }

    @Override
    public String name() {
        return "peer: xgboost4j";
    }

    @Override
    public boolean peer() {
        return true;
    }

    @Override
    public void predict(float[] rows, int n) throws Exception {
        DMatrix m = new DMatrix(rows, n, width, Float.NaN);
        try {
            booster.predict(m);
        } finally {
            m.dispose();
        }
    }

    @Override
    public void close() {
        booster.dispose();
    }
}
