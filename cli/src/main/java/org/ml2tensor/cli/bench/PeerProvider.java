package org.ml2tensor.cli.bench;

import java.nio.file.Path;
import java.util.Optional;

import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.importers.ModelFormat;

/**
 * The bench peers that need libraries the command line does not carry (XGBoost4J, lightgbm4j with their
 * native libraries and a Scala runtime, and the EJML reference evaluator): implemented by the
 * {@code bench-peers} module and found by {@link BenchPeers} only when {@code bench} runs.
 */
public interface PeerProvider {
    /** The model's own library as a peer (XGBoost4J, LightGBM), when there is one for this format. */
    Optional<Candidate> libraryPeer(Path model, ModelFormat format, int width, int threads) throws Exception;

    /** The single-threaded EJML reference evaluator. */
    Candidate reference(ModelIr ir);
}
