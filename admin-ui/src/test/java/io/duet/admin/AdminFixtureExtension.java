package io.duet.admin;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@link AdminFixture} as a JUnit 5 extension: before each test a real admin listener over a real file store in a
 * temporary directory of its own, after it the listener and the store closed and the directory deleted.
 * <pre>{@code
 * @RegisterExtension
 * final AdminFixtureExtension admin = new AdminFixtureExtension(NodeView.NONE);
 * ... admin.fixture().loggedInAdmin("a-long-new-password-1") ...
 * }</pre>
 */
final class AdminFixtureExtension implements BeforeEachCallback, AfterEachCallback {
    private final NodeView node;
    private Path dir;
    private AdminFixture fixture;

    /** @param node what the listener sees of the node ({@link NodeView#NONE}: no data plane) */
    AdminFixtureExtension(NodeView node) {
        this.node = node;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("duet-admin-");
        fixture = new AdminFixture(dir, node);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            if (fixture != null) {
                fixture.close();
            }
        } finally {
            fixture = null;
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                dir = null;
            }
        }
    }

    /** The running test's listener, store and clients. */
    AdminFixture fixture() {
        if (fixture == null) {
            throw new IllegalStateException("no test is running: the fixture exists from beforeEach to afterEach");
        }
        return fixture;
    }
}
