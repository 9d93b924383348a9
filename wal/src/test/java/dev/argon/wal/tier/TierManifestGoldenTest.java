package dev.argon.wal.tier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.wal.TierSegment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tier manifest format version 1, frozen: the manifest built from fixed values encodes to exactly the checked-in
 * golden file, the golden file decodes to those values, and damaged or other-version manifests are refused. A layout
 * change is a new version with its own golden file. Regenerate (for a new version only):
 * {@code -Dargon.tierManifest.writeGolden=<path>}.
 */
class TierManifestGoldenTest {
    private static final String GOLDEN = "/tier-manifest/v1/golden.manifest";

    static TierManifest sample() {
        String a = "a".repeat(64);
        String b = "0123456789abcdef".repeat(4);
        return new TierManifest(7, "3f2c1d4e-0000-4abc-8def-0123456789ab", "s3://argon-tier/prod data", 1_764_600_000_000L, 1200, 1100,
                List.of(new TierSegment(a, 4096, 100, 1, 1000, new byte[] {0x44, 0, 1}, new byte[] {0x44, (byte) 0xff}),
                        new TierSegment(b, 512, 7, 1001, 1200, new byte[] {0x43}, new byte[] {0x49, 0x00})),
                List.of(new TierSegment(b.replace('0', 'f'), 900, 1100, 1, 1100, new byte[] {0, 0, 0, 0, 0, 0, 0, 1},
                        new byte[] {0, 0, 0, 0, 0, 0, 0x04, 0x4c})));
    }

    private static byte[] golden() throws IOException {
        try (InputStream in = TierManifestGoldenTest.class.getResourceAsStream(GOLDEN)) {
            assertNotNull(in, GOLDEN + " is missing");
            return in.readAllBytes();
        }
    }

    @Test
    void theEncoderProducesTheGoldenBytes() throws IOException {
        byte[] encoded = sample().encode();
        String target = System.getProperty("argon.tierManifest.writeGolden");
        if (target != null && !target.isBlank()) {
            Files.write(Path.of(target), encoded);
        }
        assertEquals(new String(golden(), StandardCharsets.UTF_8), new String(encoded, StandardCharsets.UTF_8));
    }

    @Test
    void theDecoderReadsTheGoldenFile() throws IOException {
        TierManifest m = TierManifest.decode(golden(), "tier/manifests/x");
        TierManifest s = sample();
        assertEquals(7, m.sequence());
        assertEquals(s.directoryId(), m.directoryId());
        assertEquals("s3://argon-tier/prod data", m.tier());
        assertEquals(s.createdMillis(), m.createdMillis());
        assertEquals(1200, m.cutoffLsn());
        assertEquals(1100, m.logCutoff());
        assertEquals(describe(s.segments()), describe(m.segments()));
        assertEquals(describe(s.logSegments()), describe(m.logSegments()));
        assertEquals(List.of("tier/segments/" + "a".repeat(64), "tier/segments/" + "0123456789abcdef".repeat(4),
                "tier/segments/" + "0123456789abcdef".repeat(4).replace('0', 'f')), m.objectKeys());
        assertArrayEquals(golden(), m.encode());
    }

    @Test
    void damagedTruncatedAndOtherVersionsAreRefused() throws IOException {
        byte[] g = golden();
        byte[] flipped = g.clone();
        flipped[40] ^= 1;
        assertMessage(flipped, "checksum mismatch");
        assertMessage(Arrays.copyOf(g, g.length - 5), "no checksum line");
        assertMessage("argon-manifest 1\n".getBytes(StandardCharsets.UTF_8), "not a tier manifest");
        String v2 = new String(g, StandardCharsets.UTF_8).replace("argon-tier-manifest 1\n", "argon-tier-manifest 2\n");
        byte[] body = v2.substring(0, v2.lastIndexOf("end ")).getBytes(StandardCharsets.UTF_8);
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(body);
        assertMessage((v2.substring(0, v2.lastIndexOf("end ")) + "end " + String.format("%08x", c.getValue()) + "\n")
                .getBytes(StandardCharsets.UTF_8), "format version 2; this build reads version 1");
    }

    private static void assertMessage(byte[] bytes, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TierManifest.decode(bytes, "tier/manifests/x"));
        assertTrue(e.getMessage().contains(part) && e.getMessage().contains("tier/manifests/x"), e.getMessage());
    }

    private static List<String> describe(List<TierSegment> segs) {
        return segs.stream().map(x -> x.name() + " " + x.size() + " " + x.entries() + " " + x.minLsn() + " " + x.maxLsn() + " "
                + java.util.HexFormat.of().formatHex(x.minKey()) + " " + java.util.HexFormat.of().formatHex(x.maxKey())).toList();
    }
}
