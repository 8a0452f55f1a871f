package org.ml2tensor.importers.fuzz;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.LZMAOutputStream;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/** joblib's whole-file codecs, so that the fuzz can mutate the decoded pickle and compress it again. */
enum Codec {
    NONE(""), ZLIB("zlib"), GZIP("gzip"), BZ2("bz2"), LZMA("lzma"), XZ("xz"), LZ4("lz4");

    /** The infix of the fixture names: {@code model.zlib.joblib}. */
    final String infix;

    Codec(String infix) {
        this.infix = infix;
    }

    static Codec ofFileName(String name) {
        for (Codec c : values()) {
            if (c != NONE && name.endsWith("." + c.infix + ".joblib")) {
                return c;
            }
        }
        return NONE;
    }

    byte[] decode(byte[] data) throws IOException {
        if (this == NONE) {
            return data;
        }
        InputStream raw = new ByteArrayInputStream(data);
        try (InputStream in = switch (this) {
            case ZLIB -> new InflaterInputStream(raw);
            case GZIP -> new GZIPInputStream(raw);
            case BZ2 -> new BZip2CompressorInputStream(raw, true);
            case LZMA -> new LZMAInputStream(raw);
            case XZ -> new XZInputStream(raw);
            case LZ4 -> new FramedLZ4CompressorInputStream(raw, true);
            case NONE -> raw;
        }) {
            return in.readAllBytes();
        }
    }

    byte[] encode(byte[] data) throws IOException {
        if (this == NONE) {
            return data;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = switch (this) {
            // fastest presets and smallest buffers: the fuzz compresses thousands of small pickles
            case ZLIB -> new DeflaterOutputStream(bytes, new Deflater(1));
            case GZIP -> new GZIPOutputStream(bytes);
            case BZ2 -> new BZip2CompressorOutputStream(bytes, 1);
            case LZMA -> new LZMAOutputStream(bytes, new LZMA2Options(0), -1);
            case XZ -> new XZOutputStream(bytes, new LZMA2Options(0));
            case LZ4 -> new FramedLZ4CompressorOutputStream(bytes);
            case NONE -> bytes;
        }) {
            out.write(data);
        }
        return bytes.toByteArray();
    }
}
