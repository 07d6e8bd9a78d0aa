/**
 * The schema, as numbered steps applied in order at start (see applyMigrations). A released step is never edited:
 * a change is a new step. Every record is kept whole in `data`; the columns beside it are what constraints, indexes
 * and filters need, written from the same object in the same statement.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'bills, refunds and the webhook queue',
    sql: `
CREATE TABLE spay_bills (
  seq bigserial UNIQUE,
  id text PRIMARY KEY,
  app_id text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('live', 'test')),
  out_trade_no text NOT NULL,
  status text NOT NULL CHECK (status IN ('UNPAID', 'PAID', 'CANCELLED', 'FAILED')),
  channel text NOT NULL,
  fee bigint NOT NULL CHECK (fee > 0),
  refunded_fee bigint NOT NULL DEFAULT 0 CHECK (refunded_fee >= 0 AND refunded_fee <= fee),
  prepay_id text UNIQUE,
  created_at timestamptz NOT NULL,
  paid_at timestamptz,
  data jsonb NOT NULL,
  UNIQUE (app_id, mode, out_trade_no)
);
CREATE INDEX spay_bills_by_app ON spay_bills (app_id, mode, seq DESC);
CREATE INDEX spay_bills_by_created ON spay_bills (app_id, mode, created_at);

CREATE TABLE spay_refunds (
  seq bigserial UNIQUE,
  id text PRIMARY KEY,
  app_id text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('live', 'test')),
  refund_no text NOT NULL,
  bill_id text NOT NULL REFERENCES spay_bills (id),
  out_trade_no text NOT NULL,
  refund_fee bigint NOT NULL CHECK (refund_fee > 0),
  status text NOT NULL CHECK (status IN ('PENDING', 'SUCCESS', 'FAILED')),
  created_at timestamptz NOT NULL,
  data jsonb NOT NULL,
  UNIQUE (app_id, mode, refund_no)
);
CREATE INDEX spay_refunds_by_bill ON spay_refunds (bill_id);
CREATE INDEX spay_refunds_by_app ON spay_refunds (app_id, mode, seq DESC);

CREATE TABLE spay_deliveries (
  seq bigserial UNIQUE,
  id text PRIMARY KEY,
  app_id text NOT NULL,
  subject text NOT NULL CHECK (subject IN ('bill', 'refund')),
  subject_id text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'none')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_result text,
  lease_owner text,
  lease_until timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz,
  UNIQUE (subject, subject_id)
);
CREATE INDEX spay_deliveries_due ON spay_deliveries (next_attempt_at) WHERE state = 'pending';
`,
  },
  {
    version: 2,
    name: 'the console: app settings and a log of webhook attempts',
    sql: `
ALTER TABLE spay_deliveries ADD COLUMN attempts_log jsonb NOT NULL DEFAULT '[]'::jsonb;

CREATE TABLE spay_app_settings (
  app_id text PRIMARY KEY,
  updated_at timestamptz NOT NULL,
  data jsonb NOT NULL
);
`,
  },
];

/** The advisory lock key that serializes migrations when several gateways start at once ('spay' in ASCII). */
export const MIGRATION_LOCK = 0x73706179;
