package org.ml2tensor.train.data;

/**
 * A resumable place in a training input: the byte offset of the next unread row, the number of the last
 * line read (header included; 0 for formats without lines), the rows delivered before it, and the same
 * offset and line in a separate label file (0 when there is none).
 */
public record SourcePosition(long byteOffset, long line, long rowsBefore, long labelByteOffset, long labelLine) {
    /** Before the first data row. */
    public static final SourcePosition START = new SourcePosition(0, 0, 0, 0, 0);
}
