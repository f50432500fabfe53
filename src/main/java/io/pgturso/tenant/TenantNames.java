package io.pgturso.tenant;

import io.pgturso.config.TargetTemplate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The database name of a tenant, valid for Turso (lowercase letters, digits and dashes; the Platform API allows 64
 * characters, its earlier reference 32, and the host name {@code NAME-ORG.turso.io} must fit a 63-character DNS label)
 * and for a file name. A tenant value that is such a name already (1-32 characters, single dashes between letters and
 * digits) is kept as it is; any other is made one: lowercased, each run of other characters a dash, cut to 18
 * characters, then {@code --} and the first 12 hex digits of the SHA-256 of the value. Kept names never hold
 * {@code --}, so the two forms never meet; two values of the second form would need the same 48 bits of SHA-256, and
 * the registry refuses a name taken by another tenant anyway.
 */
public final class TenantNames {
    /** Longest database name made. */
    public static final int MAX_LENGTH = 32;
    private static final int SLUG_LENGTH = 18;
    private static final Pattern KEPT = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private TenantNames() {
    }

    /** The database name of the tenant whose fanOut value (Postgres text) is {@code tenant}. */
    public static String databaseName(String tenant) {
        if (tenant.length() <= MAX_LENGTH && KEPT.matcher(tenant).matches() && !tenant.equals(TargetTemplate.CONTROL_NAME)) {
            return tenant;
        }
        String slug = tenant.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > SLUG_LENGTH) {
            slug = slug.substring(0, SLUG_LENGTH).replaceAll("-+$", "");
        }
        return (slug.isEmpty() ? "t" : slug) + "--" + sha256(tenant).substring(0, 12);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
