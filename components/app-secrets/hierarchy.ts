import { OWN_ROTATION_DAYS } from "../secret-rotation/function";

/**
 * The application's own secrets (spec "Secret Management": payment, email and SMS providers, JWT signing
 * keys), one hierarchy per zone: `bookedbarber/<zone>/app/<kind>/<provider>/<key>`. Each zone primary
 * creates them empty on its secrets CMK and replicates them to its zone's standby only (docs/secrets.md).
 */

/**
 * generated: our rotation function makes every value (JWT signing keys).
 * vendor: a third party issues the value; a person sets it (put-secret-value), reminded by age.
 */
export type AppSecretKind = "generated" | "vendor";

export interface AppSecretSpec {
    /** Path under `bookedbarber/<zone>/app/`. */
    path: string;
    kind: AppSecretKind;
    description: string;
    /** The JSON fields the value holds (docs/secrets.md shows the put-secret-value for each). */
    fields: readonly string[];
}

export const APP_SECRETS: readonly AppSecretSpec[] = [
    { path: "payment/stripe/live-secret-key", kind: "vendor", description: "Stripe live secret key (payments)", fields: ["apiKey"] },
    { path: "email/sendgrid/api-key", kind: "vendor", description: "SendGrid API key (transactional email)", fields: ["apiKey"] },
    { path: "sms/twilio/auth-token", kind: "vendor", description: "Twilio account SID and auth token (SMS)", fields: ["accountSid", "authToken"] },
    {
        path: "jwt/signing-keys",
        kind: "generated",
        description: "JWT signing key pair (Ed25519); the app signs with AWSCURRENT and verifies with AWSCURRENT and AWSPREVIOUS",
        fields: ["kid", "alg", "privateKey", "publicKey", "createdAt"],
    },
];

export function appSecretName(zone: string, path: string): string {
    return `bookedbarber/${zone}/app/${path}`;
}

/**
 * JWT signing keys rotate every 30 days. A token signed just before a rotation stays verifiable for one
 * more interval (the app verifies with AWSPREVIOUS too), so access tokens must live far less than 30 days.
 */
export const JWT_ROTATION_DAYS = OWN_ROTATION_DAYS;

/**
 * Vendor keys are replaced at least every 90 days, the longest interval the pack's `secret-rotation` rule
 * allows a rotated secret; the reminder starts 14 days before and repeats daily until a new value is set.
 */
export const VENDOR_KEY_MAX_AGE_DAYS = 90;
export const VENDOR_KEY_NOTICE_DAYS = 14;
