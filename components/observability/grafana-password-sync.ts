import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { IMAGES, restricted, secretProviderClass } from "../sharded-database/pod-common";

/**
 * `grafana-password-sync`: the sidecar in Grafana's pod that applies a rotated admin password (docs/secrets.md,
 * "Grafana's admin password rotates"). Grafana reads GF_SECURITY_ADMIN_PASSWORD__FILE only when it creates the
 * admin user, so after each rotation (grafana-admin-rotation.ts) the new password must be set through Grafana's
 * API. The Secrets Store CSI driver re-reads the secret every 2 minutes (`rotationPollInterval`) and rewrites
 * the mounted files: `password` (AWSCURRENT) and `previous_password` (AWSPREVIOUS, the same secret mounted a
 * second time with `objectVersionLabel`). Every GRAFANA_PASSWORD_SYNC_SECONDS the sidecar:
 * - logs in with the current password (`GET /api/user`, basic auth, on localhost): when it works, nothing to do;
 * - otherwise changes the admin's password from the previous one to the current one (`PUT /api/user/password`
 *   with `oldPassword`/`newPassword`, authenticated with the previous one);
 * - when neither logs in (the password was changed by hand, or two rotations passed while Grafana was down), logs
 *   one line saying so and how to recover, and waits for the mounted secret to change or for
 *   GRAFANA_PASSWORD_SYNC_BACKOFF_SECONDS: Grafana locks a user out after repeated failed logins (brute-force
 *   login protection), so it must not retry every pass. It never exits on a failure: a crash loop would add
 *   nothing, and Grafana's own container does not depend on it.
 * Because it only compares what logs in with what is mounted, a restart at any point (mid-rotation, after the
 * change but before the next pass) converges on the next pass. Passwords reach curl on its standard input (its
 * config), never on a command line; they are letters and digits only (GetRandomPassword without punctuation),
 * and the sidecar refuses anything else rather than quote it.
 */

/** The container's name. */
export const GRAFANA_PASSWORD_SYNC = "grafana-password-sync";
/** Seconds between passes: a rotated password is applied within the driver's 2-minute poll plus this. */
export const GRAFANA_PASSWORD_SYNC_SECONDS = 30;
/**
 * Seconds to wait after a pass in which neither password logs in, unless the mount changes first. Each such pass
 * costs two failed logins; Grafana locks the user out after 5 failures within 5 minutes (its defaults,
 * `brute_force_login_protection_max_attempts`), so 15 minutes keeps the sidecar from locking out the admin.
 */
export const GRAFANA_PASSWORD_SYNC_BACKOFF_SECONDS = 900;
/** Grafana's HTTP port in its container (the chart's `service.targetPort`, Grafana's default `http_port`). */
export const GRAFANA_HTTP_PORT = 3000;
/** The pod volume with the admin login (the CSI volume of the chart's `extraSecretMounts`). */
export const GRAFANA_ADMIN_VOLUME = "admin-login";
/** File names in the mount: AWSCURRENT's password and AWSPREVIOUS's. */
export const GRAFANA_PASSWORD_FILE = "password";
export const GRAFANA_PREVIOUS_PASSWORD_FILE = "previous_password";

/** The sidecar's script (POSIX sh: busybox in the curl image, dash in the tests). `--once` runs one pass and exits with its status. */
export const GRAFANA_PASSWORD_SYNC_SCRIPT = `set -u
DIR="$SECRETS_DIR"
URL="$GRAFANA_URL"
ADMIN="$GRAFANA_ADMIN_USER"
INTERVAL="$SYNC_INTERVAL_SECONDS"
BACKOFF="$SYNC_BACKOFF_SECONDS"

log() { printf '%s ${GRAFANA_PASSWORD_SYNC}: %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }

# Letters and digits only: what rotation generates; anything else would need quoting in JSON and curl's config.
plain() { case "$1" in "" | *[!A-Za-z0-9]*) return 1 ;; esac; return 0; }

# One call to Grafana as the admin with password $3 (and JSON body $4); prints the HTTP status, 000 when nothing
# answered. The credentials and the body reach curl on stdin, as its config: never on a command line.
api() {
    {
        printf 'user = "%s:%s"\\n' "$ADMIN" "$3"
        if [ -n "\${4:-}" ]; then printf 'data = "%s"\\n' "$4"; fi
    } | curl --config - --silent --output /dev/null --write-out '%{http_code}' --connect-timeout 3 --max-time 10 \\
        --request "$1" --header 'Content-Type: application/json' "$URL$2"
}

# One pass: 0 in sync (or now synced); 1 try again next pass; 2 only a changed mount (or the back-off) can help.
sync_once() {
    current=$(cat "$DIR/${GRAFANA_PASSWORD_FILE}" 2>/dev/null) || current=""
    previous=$(cat "$DIR/${GRAFANA_PREVIOUS_PASSWORD_FILE}" 2>/dev/null) || previous=""
    if ! plain "$current"; then
        log "$DIR/${GRAFANA_PASSWORD_FILE} is empty or holds characters other than letters and digits: not applied"
        return 2
    fi
    status=$(api GET /api/user "$current")
    case "$status" in
        200) return 0 ;;
        401) ;;
        000) log "Grafana does not answer on $URL yet; next pass in \${INTERVAL}s"; return 1 ;;
        *) log "GET /api/user answered HTTP $status; next pass in \${INTERVAL}s"; return 1 ;;
    esac
    if ! plain "$previous" || [ "$previous" = "$current" ]; then
        log "the current password (AWSCURRENT) does not log in as $ADMIN and there is no other previous one (AWSPREVIOUS) to change from: reset it by hand (docs/secrets.md, Grafana admin recovery)"
        return 2
    fi
    status=$(api PUT /api/user/password "$previous" '{\\"oldPassword\\":\\"'"$previous"'\\",\\"newPassword\\":\\"'"$current"'\\"}')
    case "$status" in
        200) log "changed the password of $ADMIN to the rotated one (AWSCURRENT)"; return 0 ;;
        401) log "neither the current (AWSCURRENT) nor the previous (AWSPREVIOUS) password logs in as $ADMIN: reset it by hand (docs/secrets.md, Grafana admin recovery)"; return 2 ;;
        000) log "Grafana does not answer on $URL yet; next pass in \${INTERVAL}s"; return 1 ;;
        *) log "PUT /api/user/password answered HTTP $status; next pass in \${INTERVAL}s"; return 1 ;;
    esac
}

if [ "\${1:-}" = "--once" ]; then
    sync_once
    exit $?
fi

# The shell is the container's PID 1, which ignores SIGTERM without a handler: leave at once when the pod stops.
trap 'exit 0' TERM INT
log "applying rotated admin passwords from $DIR every \${INTERVAL}s"
stuck=""
retry_at=0
while :; do
    state=$(cat "$DIR/${GRAFANA_PASSWORD_FILE}" "$DIR/${GRAFANA_PREVIOUS_PASSWORD_FILE}" 2>/dev/null | cksum)
    now=$(date +%s)
    if [ "$state" != "$stuck" ] || [ "$now" -ge "$retry_at" ]; then
        sync_once
        if [ $? -eq 2 ]; then
            stuck="$state"
            retry_at=$((now + BACKOFF))
            log "next attempt when the mounted secret changes, or in \${BACKOFF}s"
        else
            stuck=""
        fi
    fi
    # In the background, so that the trap runs during the wait rather than after it.
    sleep "$INTERVAL" &
    wait $!
done
`;

/** Environment of the script, by variable. */
export function grafanaPasswordSyncEnv(secretsDir: string, adminUser: string): Record<string, string> {
    return {
        SECRETS_DIR: secretsDir,
        GRAFANA_URL: `http://127.0.0.1:${GRAFANA_HTTP_PORT}`,
        GRAFANA_ADMIN_USER: adminUser,
        SYNC_INTERVAL_SECONDS: String(GRAFANA_PASSWORD_SYNC_SECONDS),
        SYNC_BACKOFF_SECONDS: String(GRAFANA_PASSWORD_SYNC_BACKOFF_SECONDS),
    };
}

/**
 * The sidecar container: the platform's pinned curl image (busybox sh and curl, as PgBouncer's refresh sidecar),
 * Pod Security `restricted`, the admin-login volume read-only. Nothing listens: it talks to Grafana on localhost
 * inside the pod, so no NetworkPolicy or Service changes.
 */
export function grafanaPasswordSyncContainer(secretsDir: string, adminUser: string) {
    return {
        name: GRAFANA_PASSWORD_SYNC,
        image: IMAGES.init,
        command: ["/bin/sh", "-c", GRAFANA_PASSWORD_SYNC_SCRIPT, GRAFANA_PASSWORD_SYNC],
        env: Object.entries(grafanaPasswordSyncEnv(secretsDir, adminUser)).map(([name, value]) => ({ name, value })),
        securityContext: restricted,
        resources: { requests: { cpu: "5m", memory: "16Mi" }, limits: { memory: "32Mi" } },
        volumeMounts: [{ name: GRAFANA_ADMIN_VOLUME, mountPath: secretsDir, readOnly: true }],
    };
}

/**
 * The grafana chart's `extraContainers` value: a string the chart renders with `tpl` into the pod's container
 * list (grafana chart 10.0.0, templates/_pod.tpl), so block YAML of the container list. The script has no `{{`.
 */
export function grafanaPasswordSyncValues(secretsDir: string, adminUser: string): { extraContainers: string } {
    return { extraContainers: stringify([grafanaPasswordSyncContainer(secretsDir, adminUser)], { lineWidth: 0 }) };
}

/**
 * Grafana's SecretProviderClass: the admin secret's AWSCURRENT as `username`, `password` and the whole JSON
 * (pod-common's secretProviderClass), and the same secret once more at AWSPREVIOUS (`objectVersionLabel`, the AWS
 * provider allows one secret twice when the aliases and version labels differ) as `previous_password` and
 * `admin_previous.json` (no hyphen in these aliases: the provider's README asks for hyphenated jmesPath aliases to be quoted). AWSPREVIOUS exists from the first rotation on, which runs when the rotation is created.
 */
export function grafanaAdminSecretProviderClass(name: string, namespace: string, region: string, secretArn: pulumi.Input<string>) {
    const current = secretProviderClass(name, namespace, region, secretArn, "admin.json");
    const objects = pulumi
        .all([current.spec.parameters.objects, secretArn])
        .apply(([head, arn]) =>
            [
                head,
                `- objectName: "${arn}"`,
                "  objectType: secretsmanager",
                "  objectVersionLabel: AWSPREVIOUS",
                "  objectAlias: admin_previous.json",
                "  jmesPath:",
                "    - path: password",
                `      objectAlias: ${GRAFANA_PREVIOUS_PASSWORD_FILE}`,
            ].join("\n"),
        );
    return { ...current, spec: { ...current.spec, parameters: { ...current.spec.parameters, objects } } };
}
