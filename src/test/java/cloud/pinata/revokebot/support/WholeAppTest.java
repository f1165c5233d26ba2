package cloud.pinata.revokebot.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the whole-app tests: a fresh {@link BotHarness} per test (not started, so a test can set the
 * environment first) whose fake Pinata lists {@link #KEY}, named ci-deploy, with a secret that must never leak.
 */
public abstract class WholeAppTest {
    protected static final String KEY = "a1b2c3d4e5f6a7b8c9d0";
    protected static final String LISTED_SECRET = "f".repeat(64);

    protected BotHarness h;

    @BeforeEach
    void createHarness() throws Exception {
        h = new BotHarness();
        h.pinata.addKey(KEY, "ci-deploy", false, LISTED_SECRET);
    }

    @AfterEach
    void closeHarness() throws Exception {
        h.close();
    }
}
