package io.pgturso.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Camel's early read of the route files is kept only for the files it matters to. */
class RoutePreParseTest {
    @TempDir
    Path routes;

    @Test
    void the_shipped_route_files_are_read_once() {
        assertThat(RoutePreParse.needed(Path.of("routes"))).isFalse();
    }

    @Test
    void a_route_file_that_declares_beans_is_read_early_as_camel_would() throws IOException {
        Files.writeString(routes.resolve("a.camel.yaml"), "- route:\n    from:\n      uri: direct:a\n");
        Files.writeString(routes.resolve("b.camel.yaml"), """
                # my beans
                - beans:
                    - name: greeting
                      type: java.lang.StringBuilder
                """);
        assertThat(RoutePreParse.needed(routes)).isTrue();
    }

    @Test
    void a_pipe_resource_is_read_early_as_camel_would() throws IOException {
        Files.writeString(routes.resolve("p.camel.yaml"), "apiVersion: camel.apache.org/v1\nkind: Pipe\n");
        assertThat(RoutePreParse.needed(routes)).isTrue();
    }

    @Test
    void beans_named_in_a_comment_or_another_file_kind_do_not_count() throws IOException {
        Files.writeString(routes.resolve("a.camel.yaml"), "# beans tableSync, deadLetters\n- route:\n    from:\n      uri: direct:a\n");
        Files.writeString(routes.resolve("notes.yaml"), "- beans:\n");
        assertThat(RoutePreParse.needed(routes)).isFalse();
    }
}
