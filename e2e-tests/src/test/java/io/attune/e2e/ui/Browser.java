package io.attune.e2e.ui;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real headless Chromium driven by ChromeDriver, with a fresh profile. Test classes that need one are
 * {@code @ExtendWith(Browser.Installed.class)}: where Chromium or ChromeDriver is missing they are skipped, not failed
 * ({@code .ci/run} installs both).
 */
final class Browser implements AutoCloseable {
    /** Waits for what one service does at once (a page, an API call). */
    static final Duration QUICK = Duration.ofSeconds(15);
    /** Waits for what crosses the broker and several services (a notification, an execution resumed). */
    static final Duration ACROSS_SERVICES = Duration.ofSeconds(45);

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** The browser; {@code -Dattune.chromium=none} skips the browser tests as if it were missing. */
    static Optional<Path> chromium() {
        if ("none".equals(System.getProperty("attune.chromium"))) {
            return Optional.empty();
        }
        return firstExecutable(System.getProperty("attune.chromium"), System.getenv("CHROME_BIN"),
                "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
    }

    static Optional<Path> chromedriver() {
        return firstExecutable(System.getProperty("attune.chromedriver"), System.getenv("CHROMEDRIVER"),
                "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver", "/usr/lib/chromium-browser/chromedriver");
    }

    private static Optional<Path> firstExecutable(String... candidates) {
        return Stream.of(candidates).filter(candidate -> candidate != null && !candidate.isBlank())
                .map(Path::of).filter(Files::isExecutable).findFirst();
    }

    static boolean installed() {
        return chromium().isPresent() && chromedriver().isPresent();
    }

    static void assumeInstalled() {
        Assumptions.assumeTrue(installed(), NOT_INSTALLED);
    }

    static final String NOT_INSTALLED = "Chromium and ChromeDriver are not installed: browser tests skipped";

    /** {@code @ExtendWith(Browser.Installed.class)}: the class's tests are skipped where there is no browser. */
    static final class Installed implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return installed() ? ConditionEvaluationResult.enabled("Chromium and ChromeDriver found")
                    : ConditionEvaluationResult.disabled(NOT_INSTALLED);
        }
    }

    /** A desktop-sized browser window. */
    static Browser open() {
        return open(1280, 900);
    }

    static Browser open(int width, int height) {
        assumeInstalled();
        Path profile;
        try {
            profile = Files.createTempDirectory("attune-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium().orElseThrow().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--hide-scrollbars", "--force-device-scale-factor=1", "--lang=en-GB",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver().orElseThrow().toFile())
                .usingAnyFreePort()
                .build();
        return new Browser(new ChromeDriver(service, options), profile);
    }

    WebDriver driver() {
        return driver;
    }

    void get(String url) {
        driver.get(url);
    }

    WebDriverWait waiting(Duration timeout) {
        return new WebDriverWait(driver, timeout);
    }

    <T> T await(ExpectedCondition<T> condition) {
        return waiting(QUICK).until(condition);
    }

    <T> T awaitAcrossServices(ExpectedCondition<T> condition) {
        return waiting(ACROSS_SERVICES).until(condition);
    }

    WebElement visible(By locator) {
        return await(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    WebElement find(By locator) {
        return driver.findElement(locator);
    }

    List<WebElement> findAll(By locator) {
        return driver.findElements(locator);
    }

    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    Object asyncScript(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, arguments);
    }

    WebElement focused() {
        return driver.switchTo().activeElement();
    }

    /** Signs in through the sign-in page and waits for the inbox. */
    void signIn(String baseUrl, String login, String password) {
        get(baseUrl + "/#/sign-in");
        WebElement loginField = visible(By.id("login"));
        loginField.clear();
        loginField.sendKeys(login);
        find(By.id("password")).sendKeys(password, Keys.ENTER);
        visible(By.id("inbox-heading"));
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** A PNG of the whole page (the window grows to the page's height for the shot, then returns). */
    void screenshot(Path file) {
        Dimension before = driver.manage().window().getSize();
        long page = ((Number) script("return document.documentElement.scrollHeight")).longValue();
        long frame = ((Number) script("return window.outerHeight - window.innerHeight")).longValue();
        resize(before.getWidth(), (int) Math.min(page + frame, 5000));
        await(driver -> ((Number) script("return window.innerHeight")).longValue() >= Math.min(page, 5000 - frame));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            resize(before.getWidth(), before.getHeight());
        }
    }

    /** Uncaught script errors reported on the console since the last call. */
    List<String> scriptErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .filter(message -> message.contains("Uncaught") || message.contains("SyntaxError")
                        || message.contains("TypeError") || message.contains("ReferenceError"))
                .toList();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary profile left behind is harmless
        }
    }
}
