package io.attune.worker.action;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The operating-system user actions run as. A worker running as root runs them as {@code ATTUNE_ACTION_USER}
 * (default {@code nobody}) through util-linux's {@code setpriv} (or, without it, {@code runuser}): an action then
 * cannot read the worker's {@code /proc/<pid>/environ}, where the database password and the broker URL are. A
 * worker that is not root cannot switch users: its actions run as itself (docs/worker.md says how to deploy then).
 *
 * @param name    the user actions run as
 * @param uid     its uid, {@code gid} its primary group
 * @param command what precedes the interpreter on the command line (empty: no switch)
 */
public record ActionUser(String name, int uid, int gid, List<String> command) {
    private static final Logger log = LoggerFactory.getLogger(ActionUser.class);
    public static final String DEFAULT = "nobody";
    private static final List<Path> SEARCH = List.of(Path.of("/usr/bin"), Path.of("/bin"), Path.of("/usr/sbin"),
            Path.of("/sbin"));

    /** Whether actions run as another user than the worker. */
    public boolean switches() {
        return !command.isEmpty();
    }

    /**
     * Decides, once at start-up, as whom actions run. Throws when the worker is root and cannot drop the privilege
     * as asked (unknown user, neither setpriv nor runuser installed): running actions as root instead would be the
     * silent failure this exists to prevent.
     */
    public static ActionUser resolve(String configured) {
        String wanted = configured == null || configured.isBlank() ? DEFAULT : configured.strip();
        int self = currentUid();
        if (self != 0) {
            String me = System.getProperty("user.name");
            log.info("Actions run as the worker's own user {} (uid {}): only a worker running as root can run them "
                    + "as another user (ATTUNE_ACTION_USER)", me, self);
            return new ActionUser(me, self, -1, List.of());
        }
        if (wanted.equals("root") || wanted.equals("0")) {
            log.warn("ATTUNE_ACTION_USER={}: actions run as root and can read the worker's secrets", wanted);
            return new ActionUser("root", 0, 0, List.of());
        }
        int[] ids = lookup(wanted).orElseThrow(() -> new IllegalStateException("ATTUNE_ACTION_USER: no user '"
                + wanted + "' on this host (getent passwd " + wanted + " found nothing)"));
        if (ids[0] == 0) {
            throw new IllegalStateException("ATTUNE_ACTION_USER: '" + wanted + "' is root (uid 0); set "
                    + "ATTUNE_ACTION_USER=root to run actions as root knowingly");
        }
        List<String> command;
        Optional<Path> setpriv = find("setpriv");
        Optional<Path> runuser = find("runuser");
        if (setpriv.isPresent()) {
            command = List.of(setpriv.get().toString(), "--reuid=" + ids[0], "--regid=" + ids[1], "--clear-groups",
                    "--no-new-privs", "--");
        } else if (runuser.isPresent()) {
            command = List.of(runuser.get().toString(), "-u", wanted, "--");
        } else {
            throw new IllegalStateException("the worker runs as root and would run actions as root: install "
                    + "util-linux (setpriv or runuser) so that they run as " + wanted + ", or set "
                    + "ATTUNE_ACTION_USER=root to run them as root knowingly");
        }
        log.info("Actions run as {} (uid {}, gid {}) through {}", wanted, ids[0], ids[1], command.get(0));
        return new ActionUser(wanted, ids[0], ids[1], command);
    }

    /** The full command line of a run. */
    public List<String> wrap(List<String> command) {
        List<String> full = new ArrayList<>(this.command);
        full.addAll(command);
        return full;
    }

    private static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1; // not Linux: no switching, actions run as the worker
        }
    }

    /** uid and gid of a user name or number, through NSS (getent). */
    private static Optional<int[]> lookup(String user) {
        try {
            Process getent = new ProcessBuilder("getent", "passwd", user).redirectErrorStream(true).start();
            String line = new String(getent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!getent.waitFor(10, TimeUnit.SECONDS) || getent.exitValue() != 0 || line.isEmpty()) {
                return Optional.empty();
            }
            String[] fields = line.split("\n")[0].split(":");
            return Optional.of(new int[]{Integer.parseInt(fields[2]), Integer.parseInt(fields[3])});
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look up user " + user + " (is getent installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Path> find(String program) {
        List<Path> directories = new ArrayList<>(SEARCH);
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(":")) {
                if (!entry.isBlank()) {
                    directories.add(Path.of(entry));
                }
            }
        }
        return directories.stream().map(d -> d.resolve(program)).filter(Files::isExecutable).findFirst();
    }
}
