import { z } from 'zod';

// The one place that reads process.env (STYLE: env read once, validated).
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.string().url().optional(),
  // Production (docs/operations.md): migrations as the schema owner, the app as its own role,
  // which is given exactly its grant set after each migration run (lib/db/app-role.ts).
  MIGRATION_DATABASE_URL: z.string().url().optional(),
  DATABASE_APP_ROLE: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'DATABASE_APP_ROLE is a plain lower-case role name').optional(),
  // Name of the PGlite data folder under ./data (embedded mode only).
  PGLITE_DIR: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/i, 'PGLITE_DIR is a folder name under ./data, not a path')
    .default('pglite'),
  // sandbox: demo data and demo users are seeded; production: none.
  RENKEI_MODE: z.enum(['sandbox', 'production']).default('sandbox'),
  AUTH_SECRET: z.string().min(32).optional(),
  // Seals the one-time-password secrets at rest (AES-256-GCM). Sandbox: generated into ./data.
  TOTP_KEY: z.string().min(32).optional(),
  // The public origin (scheme://host[:port]); the OAuth issuer is <origin>/oauth. Sandbox: from the request.
  PUBLIC_ORIGIN: z.string().url().optional(),
  // Authorization server keys (production): a private JWKS (JSON) and cookie-signing keys (comma separated).
  OAUTH_JWKS: z.string().optional(),
  OAUTH_COOKIE_KEYS: z.string().optional(),
  // /metrics for the bank's monitoring: `Authorization: Bearer <METRICS_TOKEN>` (operators may also read it signed in).
  METRICS_TOKEN: z.string().min(32, 'METRICS_TOKEN must be at least 32 characters').optional(),
  // Traffic limits (Art. 6: the service stays available for everyone), requests per second.
  RATE_LIMIT_PROVIDER_PER_S: z.coerce.number().int().positive().default(50),
  RATE_LIMIT_LINK_PER_S: z.coerce.number().int().positive().default(10),
  RATE_LIMIT_TOKEN_PER_S: z.coerce.number().int().positive().default(10),
  // How long an ended link stays in the customer's past links before housekeeping archives it
  // (issue 14 §3, decision 48): at least the two years of EU FiDA Art. 8.
  PAST_LINK_RECORD_DAYS: z.coerce.number().int().min(730, 'PAST_LINK_RECORD_DAYS is at least 730 (two years)').max(3650).default(730),
  // A shared Redis for the traffic-limit counters; unset: the database the app already uses.
  REDIS_URL: z.string().url().optional(),
  // End-to-end tests only (scripts/e2e-server.sh): exposes a digest of the database so a test can
  // prove a refused request changed nothing. Ignored outside sandbox mode.
  RENKEI_E2E_HOOKS: z.enum(['0', '1']).default('0'),
});

// An empty variable (e.g. `DATABASE_URL=` in an env file) counts as unset.
const parsed = schema.safeParse(Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== '')));
if (!parsed.success) {
  throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
}

export const env = parsed.data;
export const isSandbox = env.RENKEI_MODE === 'sandbox';
export const e2eHooks = isSandbox && env.RENKEI_E2E_HOOKS === '1';
