package dev.argon.storage.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Manifest format version 1, frozen: the manifest built from fixed values must encode to exactly the checked-in
 * golden file, and the golden file must decode to those values. A layout change is a new version with its own
 * golden file. Regenerate (for a new version only): {@code -Dargon.manifest.writeGolden=<path>}.
 */
class ManifestGoldenTest {
    private static final String GOLDEN = "/manifest/v1/golden.manifest";

    static Manifest sample() {
        String a = "a".repeat(64);
        String b = "0123456789abcdef".repeat(4);
        return new Manifest(2, 1, 1234, 1000, 1_764_600_000_000L, 1_764_599_999_000L,
                List.of(new RefEntry("branch", "main", 1, 1234), new RefEntry("branch", "exp/ünï code", 3, 1200),
                        new RefEntry("tag", "v1+2 %x", 1, 900)),
                List.of(new SegmentRef("versions", a, 4096, 100, 1, 1000, new byte[] {0x44, 0, 1}, new byte[] {0x44, (byte) 0xff}),
                        new SegmentRef("versions", b, 512, 7, 1001, 1234, new byte[] {0x43}, new byte[] {0x49, 0x00}),
                        new SegmentRef("meta-state", b.replace('0', 'f'), 80, 3, 0, 1234, "branch/".getBytes(StandardCharsets.UTF_8),
                                "tag/v1".getBytes(StandardCharsets.UTF_8))),
                Map.of("source", "/data/argon data", "argon.version", "0.1.0"));
    }

    private static byte[] golden() throws IOException {
        try (InputStream in = ManifestGoldenTest.class.getResourceAsStream(GOLDEN)) {
            assertNotNull(in, GOLDEN + " is missing");
            return in.readAllBytes();
        }
    }

    @Test
    void theEncoderProducesTheGoldenBytes() throws IOException {
        byte[] encoded = sample().encode();
        String target = System.getProperty("argon.manifest.writeGolden");
        if (target != null && !target.isBlank()) {
            Files.write(Path.of(target), encoded);
        }
        assertEquals(new String(golden(), StandardCharsets.UTF_8), new String(encoded, StandardCharsets.UTF_8));
    }

    @Test
    void theDecoderReadsTheGoldenFile() throws IOException {
        Manifest m = Manifest.decode(golden(), "manifests/x");
        assertEquals(sample(), m);
        assertEquals("exp/ünï code", m.refs().get(1).name());
        assertEquals("v1+2 %x", m.refs().get(2).name());
        assertEquals(2, m.segments("versions").size());
        assertArrayEquals(new byte[] {0x44, (byte) 0xff}, m.segments().get(0).maxKey());
        assertEquals(4096 + 512 + 80, m.totalBytes());
    }

    @Test
    void aTruncatedOrDamagedManifestIsRefused() throws IOException {
        byte[] g = golden();
        for (int cut : new int[] {0, 10, g.length / 2, g.length - 3, g.length - 1}) {
            ManifestFormatException e = assertThrows(ManifestFormatException.class,
                    () -> Manifest.decode(Arrays.copyOf(g, cut), "manifests/7"));
            assertTrue(e.getMessage().contains("manifests/7"), e.getMessage());
        }
        byte[] flipped = g.clone();
        flipped[g.length / 2] ^= 0x01;
        assertTrue(assertThrows(ManifestFormatException.class, () -> Manifest.decode(flipped, null)).getMessage()
                .contains("checksum mismatch"));
    }

    @Test
    void anotherFormatVersionIsRefusedByName() {
        String text = new String(sample().encode(), StandardCharsets.UTF_8);
        String body = text.substring(0, text.lastIndexOf("end ")).replace("argon-manifest 1", "argon-manifest 2");
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        c.update(bodyBytes);
        byte[] v2 = (body + String.format("end %08x\n", c.getValue())).getBytes(StandardCharsets.UTF_8);
        ManifestFormatException e = assertThrows(ManifestFormatException.class, () -> Manifest.decode(v2, "m"));
        assertTrue(e.getMessage().contains("format version 2; this build reads version 1"), e.getMessage());
    }
}
