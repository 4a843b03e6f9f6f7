package fr.acclermont.gateway.cache;

import java.nio.file.Path;

/**
 * A slice's bytes in a disk-tier file whose checksum was verified since start-up, so that they may
 * be sent with zero-copy (a {@code FileRegion}, which never sees the bytes): {@code length} bytes
 * at {@code position} of {@code file}.
 *
 * @param file the slice file
 * @param position where the slice's first byte is in the file
 * @param length the slice's length
 */
public record SliceFile(Path file, long position, int length) implements SliceRead {
}
