package org.ml2tensor.importers.pickle;

/**
 * The result of reading a pickle or joblib file.
 *
 * @param root        the pickled value
 * @param compression whole-file compression that was undone
 * @param protocol    highest pickle protocol announced (0 if none)
 * @param decodedBytes size of the decompressed pickle stream
 */
public record PickleDocument(PyValue root, Compression compression, int protocol, long decodedBytes) {
}
