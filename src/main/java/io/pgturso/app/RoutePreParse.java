package io.pgturso.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Whether Camel must read the route files once before loading them: its early read only binds the beans a file
 * declares ({@code - beans:}) or sets up a Pipe, and parsing every YAML file twice was a tenth of a command's start.
 */
final class RoutePreParse {
    /** A {@code beans:} item, or a Kubernetes-style resource (a Pipe, an Integration): what the early read looks for. */
    private static final Pattern EARLY = Pattern.compile("^\\s*(-\\s*)?beans\\s*:|^(kind|apiVersion)\\s*:", Pattern.MULTILINE);

    private RoutePreParse() {
    }

    /** True when a route file in {@code routes} declares beans or is a resource such as a Pipe (Camel then reads them all early, as it would). */
    static boolean needed(Path routes) {
        try (Stream<Path> files = Files.list(routes)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).anyMatch(RoutePreParse::mentionsEarly);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean mentionsEarly(Path file) {
        try {
            String text = Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
            return EARLY.matcher(text).find();
        } catch (IOException e) {
            // Camel reports an unreadable route file itself; read early as it would
            return true;
        }
    }
}
