import pg from 'pg';
import type { Bill } from '../../bills/bill';
import { billMode } from '../../bills/bill';
import type { Refund } from '../../bills/refund';
import { DELIVERY_LOG_CAP, type DeliveryAttempt, type WebhookDelivery } from '../../webhooks/delivery';
import { MAX_LIST } from '../query';
import type { AppSettings, BillQuery, RefundQuery, Store } from '../store';
import {
  type StoreTx,
  createRefundIn,
  newDelivery,
  openBillIn,
  transitionBillIn,
  transitionRefundIn,
  modifyBillIn,
  updateBillIn,
} from '../store-tx';
import { parseDatabaseUrl, redact } from './database-url';
import { MIGRATIONS, MIGRATION_LOCK } from './migrations';

/** How a PostgreSQL store connects: pool size, timeouts, and where it logs. */
export interface PostgresStoreOptions {
  /** Most connections this gateway opens; default 10. */
  poolSize?: number;
  /** Longest a statement may run, in ms, before the database cancels it; default 5000. */
  statementTimeoutMs?: number;
  /** How long start-up keeps trying to reach the database, in ms; default 20000. */
  connectTimeoutMs?: number;
  log?: (line: string) => void;
}

/** A Store in PostgreSQL, for several gateways on one database. */
export interface PostgresStore extends Store {
  /** The schema version now in the database. */
  readonly schemaVersion: number;
}

// Unique violation, serialization failure, deadlock: the step saw the world change under it; run it again.
const RETRIED = new Set(['23505', '40001', '40P01']);
const STEP_TRIES = 5;

/**
 * Connects to the database at `url` (retrying until `connectTimeoutMs`), applies the migrations it lacks under an
 * advisory lock (safe when several gateways start at once), and returns the store. Throws a sentence naming
 * host, port and SPAY_DATABASE_URL, never the password.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const target = parseDatabaseUrl(url);
  const log = options.log ?? (() => undefined);
  const statementTimeout = options.statementTimeoutMs ?? 5000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: Math.min(5000, options.connectTimeoutMs ?? 5000),
    idleTimeoutMillis: 30_000,
    statement_timeout: statementTimeout,
    // A database that stops answering (a cut network) fails the query here rather than holding a request forever.
    query_timeout: statementTimeout + 2000,
    application_name: 'spay-gateway',
  });
  const explain = (error: unknown): string => redact((error as Error).message || String((error as { code?: string }).code ?? error), target.password);
  // An idle connection the server drops must not crash the process: the pool replaces it on the next request.
  pool.on('error', (error) => log(`database ${target.where}: a pooled connection failed (${explain(error)})`));

  let ended: Promise<void> | undefined;
  const deadline = Date.now() + (options.connectTimeoutMs ?? 20_000);
  let schemaVersion = 0;
  for (;;) {
    try {
      schemaVersion = await applyMigrations(pool, log, target.where);
      break;
    } catch (error) {
      if (Date.now() >= deadline || !isUnreachable(error)) {
        await pool.end().catch(() => undefined);
        throw new Error(`cannot use the database at ${target.where} (SPAY_DATABASE_URL): ${explain(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> => {
    try {
      return await pool.query<R>(text, values);
    } catch (error) {
      throw databaseError(error);
    }
  };
  const databaseError = (error: unknown): Error => {
    const wrapped = new Error(`database ${target.where}: ${explain(error)}`);
    (wrapped as Error & { code?: string }).code = (error as { code?: string }).code;
    return wrapped;
  };

  /** Runs `work` in one transaction, again from the start when it raced another gateway. */
  const step = async <T>(work: (tx: StoreTx) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw databaseError(error);
      }
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(transaction(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
        const code = (error as { code?: string }).code;
        if (code !== undefined && RETRIED.has(code) && attempt < STEP_TRIES) continue;
        throw databaseError(error);
      } finally {
        client.release(broken);
      }
    }
  };

  return {
    description: `postgres ${target.where}`,
    durable: true,
    schemaVersion,
    getBill: async (id) => (await query<{ data: Bill }>('SELECT data FROM spay_bills WHERE id = $1', [id])).rows[0]?.data,
    findBill: async (appId, mode, no) =>
      (await query<{ data: Bill }>('SELECT data FROM spay_bills WHERE app_id = $1 AND mode = $2 AND out_trade_no = $3', [appId, mode, no])).rows[0]?.data,
    findBillByPrepayId: async (prepayId) => (await query<{ data: Bill }>('SELECT data FROM spay_bills WHERE prepay_id = $1', [prepayId])).rows[0]?.data,
    async openBill(candidate, reopen) {
      // Most requests are new orders: one statement, no transaction. Only an order that has a bill takes the locked path.
      const inserted = await query(`${INSERT_BILL} ON CONFLICT (app_id, mode, out_trade_no) DO NOTHING`, billColumns(candidate));
      if (inserted.rowCount === 1) return { outcome: 'created', bill: candidate };
      return step((tx) => openBillIn(tx, candidate, reopen));
    },
    transitionBill: (id, from, patch, webhook) => step((tx) => transitionBillIn(tx, id, from, patch, webhook, new Date())),
    updateBill: (id, patch) => step((tx) => updateBillIn(tx, id, patch)),
    modifyBill: (id, change) => step((tx) => modifyBillIn(tx, id, change)),
    async listBills(filter) {
      const where = billWhere(filter);
      const { offset, limit } = window(filter);
      const rows = await query<{ data: Bill }>(`SELECT data FROM spay_bills b ${where.sql} ORDER BY seq DESC OFFSET ${offset} LIMIT ${limit}`, where.values);
      return rows.rows.map((row) => row.data);
    },
    async countBills(filter) {
      const where = billWhere(filter);
      return Number((await query<{ count: string }>(`SELECT count(*) FROM spay_bills b ${where.sql}`, where.values)).rows[0]?.count ?? 0);
    },
    createRefund: (candidate) => step((tx) => createRefundIn(tx, candidate)),
    getRefund: async (id) => (await query<{ data: Refund }>('SELECT data FROM spay_refunds WHERE id = $1', [id])).rows[0]?.data,
    findRefund: async (appId, mode, no) =>
      (await query<{ data: Refund }>('SELECT data FROM spay_refunds WHERE app_id = $1 AND mode = $2 AND refund_no = $3', [appId, mode, no])).rows[0]?.data,
    transitionRefund: (id, from, patch, webhook) => step((tx) => transitionRefundIn(tx, id, from, patch, webhook, new Date())),
    async listRefunds(filter) {
      const where = refundWhere(filter);
      const { offset, limit } = window(filter);
      const rows = await query<{ data: Refund }>(
        `SELECT r.data FROM spay_refunds r JOIN spay_bills b ON b.id = r.bill_id ${where.sql} ORDER BY r.seq DESC OFFSET ${offset} LIMIT ${limit}`,
        where.values,
      );
      return rows.rows.map((row) => row.data);
    },
    async countRefunds(filter) {
      const where = refundWhere(filter);
      return Number((await query<{ count: string }>(`SELECT count(*) FROM spay_refunds r JOIN spay_bills b ON b.id = r.bill_id ${where.sql}`, where.values)).rows[0]?.count ?? 0);
    },

    async enqueueDelivery(delivery, now) {
      await insertDelivery((text, values) => query(text, values), newDelivery(delivery, now));
    },
    async claimDeliveries(owner, now, leaseMs, limit) {
      const rows = await query<DeliveryRow>(
        `UPDATE spay_deliveries SET lease_owner = $1, lease_until = $2
         WHERE id IN (
           SELECT id FROM spay_deliveries
           WHERE state = 'pending' AND next_attempt_at <= $3 AND (lease_until IS NULL OR lease_until <= $3 OR lease_owner = $1)
           ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [owner, new Date(now.getTime() + leaseMs), now, limit],
      );
      return rows.rows.map(deliveryOf).sort((a, b) => Date.parse(a.next_attempt_at) - Date.parse(b.next_attempt_at));
    },
    async recordDelivery(id, owner, outcome, now) {
      // The log grows by one per attempt, so dropping its first element past the cap keeps it at the cap.
      const result = await query(
        `UPDATE spay_deliveries SET state = $3, attempts = $4, next_attempt_at = COALESCE($5, next_attempt_at), last_result = COALESCE($6::text, last_result),
           attempts_log = CASE WHEN $6::text IS NULL THEN attempts_log
             ELSE (CASE WHEN jsonb_array_length(attempts_log) >= ${DELIVERY_LOG_CAP} THEN attempts_log - 0 ELSE attempts_log END)
               || jsonb_build_array(jsonb_build_object('at', $8::text, 'result', $6::text)) END,
           lease_owner = NULL, lease_until = NULL, updated_at = $7
         WHERE id = $1 AND lease_owner = $2`,
        [id, owner, outcome.state, outcome.attempts, outcome.next_attempt_at ?? null, outcome.last_result ?? null, now, now.toISOString()],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async nextDeliveryDue() {
      const row = (
        await query<{ due: Date | null }>(`SELECT min(GREATEST(next_attempt_at, COALESCE(lease_until, next_attempt_at))) AS due FROM spay_deliveries WHERE state = 'pending'`)
      ).rows[0];
      return row?.due ?? undefined;
    },
    getDelivery: async (subject, subjectId) =>
      (await query<DeliveryRow>('SELECT * FROM spay_deliveries WHERE subject = $1 AND subject_id = $2', [subject, subjectId])).rows.map(deliveryOf)[0],
    async listDeliveries({ appId, state, limit }) {
      const rows = await query<DeliveryRow>(
        `SELECT * FROM spay_deliveries WHERE ($1::text IS NULL OR app_id = $1) AND ($2::text IS NULL OR state = $2) ORDER BY seq DESC LIMIT $3`,
        [appId ?? null, state ?? null, limit ?? 1_000_000],
      );
      return rows.rows.map(deliveryOf);
    },
    async resendDelivery(subject, subjectId, now) {
      const rows = await query<DeliveryRow>(
        `UPDATE spay_deliveries SET state = 'pending', next_attempt_at = $3, updated_at = $3 WHERE subject = $1 AND subject_id = $2 RETURNING *`,
        [subject, subjectId, now],
      );
      return rows.rows.map(deliveryOf)[0];
    },
    getAppSettings: async (appId) => (await query<{ data: AppSettings }>('SELECT data FROM spay_app_settings WHERE app_id = $1', [appId])).rows[0]?.data,
    async putAppSettings(settings) {
      await query(
        `INSERT INTO spay_app_settings (app_id, updated_at, data) VALUES ($1, $2, $3)
         ON CONFLICT (app_id) DO UPDATE SET updated_at = EXCLUDED.updated_at, data = EXCLUDED.data`,
        [settings.app_id, settings.updated_at, settings],
      );
    },
    listAppSettings: async () => (await query<{ data: AppSettings }>('SELECT data FROM spay_app_settings ORDER BY app_id')).rows.map((row) => row.data),
    close: () => (ended ??= pool.end()),
  };
}

/** The transaction's reads and writes; reads of a bill take its row lock (FOR UPDATE) until the step ends. */
function transaction(client: pg.PoolClient): StoreTx {
  const one = async <T>(text: string, values: unknown[]): Promise<T | undefined> => (await client.query<{ data: T }>(text, values)).rows[0]?.data;
  return {
    bill: (id) => one<Bill>('SELECT data FROM spay_bills WHERE id = $1 FOR UPDATE', [id]),
    billByOrder: (appId, mode, no) => one<Bill>('SELECT data FROM spay_bills WHERE app_id = $1 AND mode = $2 AND out_trade_no = $3 FOR UPDATE', [appId, mode, no]),
    async insertBill(bill) {
      await client.query(INSERT_BILL, billColumns(bill));
    },
    async putBill(bill) {
      const [id, , , , status, channel, fee, refunded, prepayId, , paidAt, data] = billColumns(bill);
      await client.query(
        'UPDATE spay_bills SET status = $2, channel = $3, fee = $4, refunded_fee = $5, prepay_id = $6, paid_at = $7, data = $8 WHERE id = $1',
        [id, status, channel, fee, refunded, prepayId, paidAt, data],
      );
    },
    // Refund rows need no lock of their own: every step that writes one holds its bill's lock first.
    refund: (id) => one<Refund>('SELECT data FROM spay_refunds WHERE id = $1', [id]),
    refundByNo: (appId, mode, no) => one<Refund>('SELECT data FROM spay_refunds WHERE app_id = $1 AND mode = $2 AND refund_no = $3', [appId, mode, no]),
    refundsOfBill: async (billId) => (await client.query<{ data: Refund }>('SELECT data FROM spay_refunds WHERE bill_id = $1 ORDER BY seq', [billId])).rows.map((row) => row.data),
    async insertRefund(refund) {
      await client.query(
        `INSERT INTO spay_refunds (id, app_id, mode, refund_no, bill_id, out_trade_no, refund_fee, status, created_at, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [refund.id, refund.app_id, refund.mode, refund.refund_no, refund.bill_id, refund.out_trade_no, refund.refund_fee, refund.status, refund.created_at, refund],
      );
    },
    async putRefund(refund) {
      await client.query('UPDATE spay_refunds SET status = $2, data = $3 WHERE id = $1', [refund.id, refund.status, refund]);
    },
    insertDelivery: (delivery) => insertDelivery((text, values) => client.query(text, values), delivery),
  };
}

const INSERT_BILL = `INSERT INTO spay_bills (id, app_id, mode, out_trade_no, status, channel, fee, refunded_fee, prepay_id, created_at, paid_at, data)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`;

function billColumns(bill: Bill): unknown[] {
  return [
    bill.id,
    bill.app_id,
    billMode(bill),
    bill.out_trade_no,
    bill.status,
    bill.channel,
    bill.fee,
    bill.refunded_fee ?? 0,
    bill.jsapi?.prepay_id ?? null,
    bill.created_at,
    bill.paid_at ?? null,
    bill,
  ];
}

async function insertDelivery(run: (text: string, values: unknown[]) => Promise<unknown>, delivery: WebhookDelivery): Promise<void> {
  await run(
    `INSERT INTO spay_deliveries (id, app_id, subject, subject_id, state, attempts, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (subject, subject_id) DO NOTHING`,
    [delivery.id, delivery.app_id, delivery.subject, delivery.subject_id, delivery.state, delivery.attempts, delivery.next_attempt_at, delivery.created_at],
  );
}

interface DeliveryRow {
  id: string;
  app_id: string;
  subject: WebhookDelivery['subject'];
  subject_id: string;
  state: WebhookDelivery['state'];
  attempts: number;
  next_attempt_at: Date;
  last_result: string | null;
  lease_owner: string | null;
  lease_until: Date | null;
  created_at: Date;
  updated_at: Date | null;
  attempts_log: DeliveryAttempt[] | null;
}

function deliveryOf(row: DeliveryRow): WebhookDelivery {
  const delivery: WebhookDelivery = {
    id: row.id,
    app_id: row.app_id,
    subject: row.subject,
    subject_id: row.subject_id,
    state: row.state,
    attempts: row.attempts,
    next_attempt_at: row.next_attempt_at.toISOString(),
    created_at: row.created_at.toISOString(),
  };
  if (row.last_result !== null) delivery.last_result = row.last_result;
  if (row.lease_owner !== null) delivery.lease_owner = row.lease_owner;
  if (row.lease_until !== null) delivery.lease_until = row.lease_until.toISOString();
  if (row.updated_at !== null) delivery.updated_at = row.updated_at.toISOString();
  if (row.attempts_log !== null && row.attempts_log.length > 0) delivery.attempts_log = row.attempts_log;
  return delivery;
}

interface Where {
  sql: string;
  values: unknown[];
}

/** The WHERE clause for a bill query over `spay_bills b`, with its parameters. */
function billWhere(query: BillQuery): Where {
  const where = conditions();
  if (query.appId !== undefined) where.add('b.app_id = ?', query.appId);
  if (query.mode !== undefined) where.add('b.mode = ?', query.mode);
  if (query.channels !== undefined) where.add('b.channel = ANY(?)', [...query.channels]);
  if (query.outTradeNo !== undefined) where.add('b.out_trade_no = ?', query.outTradeNo);
  if (query.status !== undefined) where.add('b.status = ?', query.status);
  if (query.refunded !== undefined) {
    where.add(`${query.refunded ? '' : 'NOT '}EXISTS (SELECT 1 FROM spay_refunds r WHERE r.bill_id = b.id AND r.status <> 'FAILED')`);
  }
  if (query.startTime !== undefined) where.add('b.created_at >= ?', query.startTime);
  if (query.endTime !== undefined) where.add('b.created_at <= ?', query.endTime);
  return where.done();
}

/** The WHERE clause for a refund query over `spay_refunds r JOIN spay_bills b`, with its parameters. */
function refundWhere(query: RefundQuery): Where {
  const where = conditions();
  if (query.appId !== undefined) where.add('r.app_id = ?', query.appId);
  if (query.mode !== undefined) where.add('r.mode = ?', query.mode);
  if (query.channels !== undefined) where.add('b.channel = ANY(?)', [...query.channels]);
  if (query.outTradeNo !== undefined) where.add('r.out_trade_no = ?', query.outTradeNo);
  if (query.refundNo !== undefined) where.add('r.refund_no = ?', query.refundNo);
  if (query.status !== undefined) where.add('r.status = ?', query.status);
  if (query.startTime !== undefined) where.add('r.created_at >= ?', query.startTime);
  if (query.endTime !== undefined) where.add('r.created_at <= ?', query.endTime);
  return where.done();
}

function conditions() {
  const parts: string[] = [];
  const values: unknown[] = [];
  return {
    add(sql: string, ...params: unknown[]) {
      let index = 0;
      parts.push(sql.replace(/\?/g, () => `$${values.length + ++index}`));
      values.push(...params);
    },
    done: (): Where => ({ sql: parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`, values }),
  };
}

function window(query: { skip?: number; limit?: number }): { offset: number; limit: number } {
  const offset = Math.max(0, Math.floor(query.skip ?? 0));
  const limit = Math.min(MAX_LIST, Math.max(0, Math.floor(query.limit ?? MAX_LIST)));
  return { offset, limit };
}

/** Applies the migrations the database lacks, one transaction under an advisory lock; returns the schema version. */
async function applyMigrations(pool: pg.Pool, log: (line: string) => void, where: string): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS spay_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM spay_schema_migrations')).rows.map((row) => row.version));
    const newest = Math.max(0, ...applied);
    const known = Math.max(...MIGRATIONS.map((migration) => migration.version));
    if (newest > known) throw new Error(`the database's schema is version ${newest}, newer than this gateway knows (${known}); upgrade the gateway`);
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO spay_schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      log(`database ${where}: applied migration ${migration.version} (${migration.name})`);
    }
    await client.query('COMMIT');
    return known;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}


/** Whether `error` says the database cannot be reached yet (worth trying again at start), rather than refusing us. */
function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  if (code === undefined) return /timeout|terminated|ECONN|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN/i.test(String((error as Error).message));
  // 57P03: the server is starting up; 08xxx: connection exceptions; otherwise a system error code such as ECONNREFUSED.
  return code === '57P03' || code.startsWith('08') || code.startsWith('E');
}
