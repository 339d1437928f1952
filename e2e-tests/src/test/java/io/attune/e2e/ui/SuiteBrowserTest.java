package io.attune.e2e.ui;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.attune.e2e.SharedSuites;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** The web UI served by a running suite ({@link UiSuite}), a fresh browser per test that must end without script errors. */
@ExtendWith({Browser.Installed.class, UiSuite.Extension.class})
@SharedSuites.Group(UiSuite.GROUP)
abstract class SuiteBrowserTest {
    final UiSuite ui;
    Browser browser;

    SuiteBrowserTest(UiSuite ui) {
        this.ui = ui;
    }

    @BeforeEach
    void openBrowser() {
        browser = Browser.open();
    }

    @AfterEach
    void closeBrowser() {
        try {
            assertThat(browser.scriptErrors()).as("script errors in the page").isEmpty();
        } finally {
            browser.close();
        }
    }
}
