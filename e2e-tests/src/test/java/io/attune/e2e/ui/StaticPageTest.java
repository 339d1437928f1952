package io.attune.e2e.ui;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** A module of the web UI tested on its own: its files served straight from the sources, one browser per class. */
@ExtendWith(Browser.Installed.class)
abstract class StaticPageTest {
    static StaticFiles files;
    static Browser browser;

    @BeforeAll
    static void start() {
        files = StaticFiles.serve();
        browser = Browser.open();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (files != null) {
            files.close();
        }
    }
}
