package io.pgturso.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.camel.util.OrderedProperties;

/** application.properties as editors save it: UTF-8 for every reader, and refused at once when it is not UTF-8. */
public final class PropertiesFile {
    /** The encoding Camel's placeholders and every other reader use. */
    public static final String ENCODING = StandardCharsets.UTF_8.name();

    private PropertiesFile() {
    }

    /** The file's settings, in its order; a file that is not UTF-8 stops the start naming its first bad line. */
    public static Properties load(Path file) {
        // in the file's order, as Camel keeps them: the tables' blocks are listed in that order
        Properties properties = new OrderedProperties();
        try {
            properties.load(new StringReader(text(file)));
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: a malformed unicode escape
            throw new ConfigException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return properties;
    }

    /** The file's text, decoded strictly as UTF-8. */
    private static String text(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + " is not UTF-8 at line " + firstBadLine(bytes)
                    + ": save it as UTF-8 (it is read as UTF-8, so a value such as 'Zürich' in another encoding would not match)");
        }
        if (text.startsWith("\uFEFF")) {
            // Camel would take the mark for part of the first key
            throw new ConfigException(file + " starts with a byte order mark: save it as UTF-8 without BOM");
        }
        return text;
    }

    private static int firstBadLine(byte[] bytes) {
        int line = 1;
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                try {
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes, start, i - start));
                } catch (CharacterCodingException e) {
                    return line;
                }
                line++;
                start = i + 1;
            }
        }
        return line;
    }
}
