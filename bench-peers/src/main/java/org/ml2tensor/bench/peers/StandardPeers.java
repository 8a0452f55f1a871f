package org.ml2tensor.bench.peers;

import java.nio.file.Path;
import java.util.Optional;

import org.ml2tensor.cli.bench.Candidate;
import org.ml2tensor.cli.bench.PeerProvider;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.importers.ModelFormat;

/** XGBoost4J, lightgbm4j and the EJML reference as bench peers (registered with ServiceLoader). */
public final class StandardPeers implements PeerProvider {
    @Override
    public Optional<Candidate> libraryPeer(Path model, ModelFormat format, int width, int threads) throws Exception {
        return switch (format) {
            case XGBOOST -> Optional.of(new XgboostPeer(model, width, threads));
            case LIGHTGBM -> Optional.of(new LightgbmPeer(model, width, threads));
            default -> Optional.empty();
        };
    }

    @Override
    public Candidate reference(ModelIr ir) {
        return new ReferencePeer(ir);
    }
}
