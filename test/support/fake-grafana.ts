import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as path from "node:path";
import { GRAFANA_ADMIN_USER } from "../../components/observability/kubernetes";

/**
 * A stand-in for the part of Grafana's HTTP API the grafana-password-sync sidecar uses (Grafana 12.1,
 * pkg/api/user.go; facts in test/upstream/grafana/http-api.json): basic auth as the admin, `GET /api/user`,
 * `PUT /api/user/password` with `oldPassword`/`newPassword` (401 on a wrong old password, 400 on a password of 4
 * characters or fewer), and the brute-force login protection (5 failed logins within 5 minutes lock the user out,
 * whatever the password).
 */

/** The Grafana facts the sidecar relies on (sourced, dated). */
export const GRAFANA_FACTS = JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", "..", "..", "test", "upstream", "grafana", "admin-password-sync.json"), "utf8"),
) as {
    grafana: { bruteForceLoginProtection: { maxAttempts: number; windowMinutes: number }; changeOwnPassword: { body: string[] } } & Record<string, any>;
} & Record<string, any>;
const LOCKOUT = GRAFANA_FACTS.grafana.bruteForceLoginProtection;

export interface Call {
    method: string;
    path: string;
    authorised: boolean;
}

/** Grafana's admin user, as far as the sidecar can tell. */
export class FakeGrafana {
    password: string;
    calls: Call[] = [];
    failures: number[] = [];
    private server?: http.Server;
    port = 0;

    constructor(password: string) {
        this.password = password;
    }

    get locked(): boolean {
        const now = Date.now();
        return this.failures.filter((t) => now - t < LOCKOUT.windowMinutes * 60_000).length >= LOCKOUT.maxAttempts;
    }

    private handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
        const [user, pass] = Buffer.from(String(req.headers.authorization ?? "").replace(/^Basic /, ""), "base64")
            .toString()
            .split(":");
        const ok = !this.locked && user === GRAFANA_ADMIN_USER && pass === this.password;
        this.calls.push({ method: req.method!, path: req.url!, authorised: ok });
        const reply = (status: number, message: string): void => {
            res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify({ message }));
        };
        if (!ok) {
            this.failures.push(Date.now());
            return reply(401, "Invalid username or password");
        }
        if (req.method === "GET" && req.url === "/api/user") return reply(200, "ok");
        if (req.method === "PUT" && req.url === "/api/user/password") {
            const cmd = JSON.parse(body) as { oldPassword?: string; newPassword?: string };
            if (cmd.oldPassword !== this.password) return reply(401, "Invalid old password");
            if (!cmd.newPassword || cmd.newPassword.length <= 4) return reply(400, "New password is too short");
            this.password = cmd.newPassword;
            return reply(200, "User password changed");
        }
        reply(404, "Not found");
    }

    async start(port = 0): Promise<void> {
        this.server = http.createServer((req, res) => {
            let body = "";
            req.on("data", (c) => (body += c));
            req.on("end", () => this.handle(req, res, body));
        });
        await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
        this.port = (this.server.address() as AddressInfo).port;
    }

    async stop(): Promise<void> {
        if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
        this.server = undefined;
    }
}
