import {
  AzureNamedKeyCredential,
  TableClient,
  type TableServiceClientOptions,
  type TableEntity,
  type TransactionAction,
} from '@azure/data-tables';
import { DomainError, WriteConflict, type Versioned } from '@taskcluster-queue/core';
import { statusOf, withRetry, type RetryOptions } from './retry';

/** Where the storage account is: a connection string, or an account name, key and table endpoint. */
export interface AzureConnectionOptions {
  readonly connectionString?: string;
  readonly accountName?: string;
  readonly accountKey?: string;
  /** e.g. `https://<account>.table.core.windows.net`, or Azurite's `http://127.0.0.1:10002/devstoreaccount1`. */
  readonly tableEndpoint?: string;
  /** Allow plain http (Azurite). Default: true exactly when the endpoint is `http://`. */
  readonly allowInsecureConnection?: boolean;
}

/** One HTTP request to the storage account (a transaction counts once). */
export interface StorageRequest {
  readonly table: string;
  readonly method: string;
  /** Undefined when no response came back. */
  readonly status: number | undefined;
}

export interface TablesOptions extends AzureConnectionOptions {
  /** Prepended to every table name: letters and digits, starting with a letter. */
  readonly prefix: string;
  readonly retry?: RetryOptions;
  /** Called after every request, e.g. to count them (see `RequestCounter`). */
  readonly onRequest?: (request: StorageRequest) => void;
}

/** Property values this adapter writes (strings, flags, dates, 32-bit integers). */
export type PropertyValue = string | boolean | Date | number;
export type Properties = Record<string, PropertyValue>;

/** An entity as read back: keys, ETag and the raw properties. */
export interface Row {
  readonly partitionKey: string;
  readonly rowKey: string;
  readonly etag: string;
  readonly [property: string]: unknown;
}

export type Entity = TableEntity<Properties>;

// ---------------------------------------------------------------------------------------------
// Entity (de)serialisation: a JSON value split over string properties, and Azure's size limits

/** Azure allows 64 KiB per string property (32,768 UTF-16 units) and 1 MiB per entity. */
const CHUNK_UNITS = 32_000;
export const MAX_ENTITY_BYTES = 1_048_576;
/** Headroom under the limit for what the estimate below does not see (Timestamp, ETag). */
const ENTITY_MARGIN_BYTES = 1024;
const JSON_PROPERTY = 'json';
const PARTS_PROPERTY = 'jsonParts';

/** Splits `text` into chunks of at most CHUNK_UNITS, never between the halves of a surrogate pair. */
const chunks = (text: string): string[] => {
  const out: string[] = [];
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + CHUNK_UNITS);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    out.push(text.slice(start, end));
    start = end;
  }
  return out.length > 0 ? out : [''];
};

/** `properties` plus `value` as JSON over as many string properties as it needs. */
export const withJson = (properties: Properties, value: unknown): Properties => {
  const parts = chunks(JSON.stringify(value));
  const out: Properties = { ...properties, [JSON_PROPERTY]: parts[0] as string };
  for (let i = 1; i < parts.length; i++) out[`${JSON_PROPERTY}${i}`] = parts[i] as string;
  if (parts.length > 1) out[PARTS_PROPERTY] = parts.length;
  return out;
};

/** The JSON value `withJson` stored in a row. */
export const readJson = <T>(row: Row): T => {
  const count = typeof row[PARTS_PROPERTY] === 'number' ? (row[PARTS_PROPERTY] as number) : 1;
  let text = '';
  for (let i = 0; i < count; i++) {
    const part = row[i === 0 ? JSON_PROPERTY : `${JSON_PROPERTY}${i}`];
    if (typeof part !== 'string') throw new Error(`row ${row.partitionKey}/${row.rowKey} lacks part ${i} of its JSON`);
    text += part;
  }
  return JSON.parse(text) as T;
};

/** A record stored with `withJson`, and its version: the row's ETag. */
export const versionedOf = <T>(row: Row): Versioned<T> => ({ value: readJson<T>(row), version: row.etag });

const valueBytes = (value: unknown): number => {
  if (typeof value === 'string') return 4 + value.length * 2;
  if (typeof value === 'boolean') return 1;
  if (typeof value === 'number') return 8;
  if (value instanceof Date) return 8;
  return 8;
};

/** Azure's own formula for an entity's size (Understanding the Table service data model). */
export const entityBytes = (entity: Entity): number => {
  let bytes = 4 + (entity.partitionKey.length + entity.rowKey.length) * 2;
  for (const [name, value] of Object.entries(entity)) {
    if (name === 'partitionKey' || name === 'rowKey') continue;
    bytes += 8 + name.length * 2 + valueBytes(value);
  }
  return bytes;
};

/** Refuses, before anything is sent, an entity Azure would reject as too large (a 400, never a 500). */
export const checkEntitySize = (entity: Entity): void => {
  const bytes = entityBytes(entity);
  if (bytes > MAX_ENTITY_BYTES - ENTITY_MARGIN_BYTES) {
    throw new DomainError(
      'InputError',
      `The record is too large to store: ${bytes} bytes, more than Azure Table Storage's limit of ${MAX_ENTITY_BYTES} bytes per entity (1 MiB). Make the task payload, extra or metadata smaller.`,
      { errorCode: 'EntityTooLarge', bytes, limitBytes: MAX_ENTITY_BYTES },
    );
  }
};

// ---------------------------------------------------------------------------------------------
// Clients

const TABLE_PREFIX = /^[A-Za-z][A-Za-z0-9]{0,39}$/;

const errorCodeOf = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, details } = error as { code?: string; details?: { errorCode?: string } };
  return details?.errorCode ?? code;
};

const isTableNotFound = (error: unknown): boolean =>
  statusOf(error) === 404 && errorCodeOf(error) === 'TableNotFound';

/** A conflict found by a transaction: some row was not as the transaction required. */
export class TransactionConflict extends WriteConflict {
  constructor(readonly status: number | undefined, message: string) {
    super(`transaction failed (${status}): ${message}`);
    this.name = 'TransactionConflict';
  }
}

/** The tables of one prefix in one storage account, each created on first use. */
export class AzureTables {
  private readonly tables = new Map<string, AzureTable>();

  constructor(readonly options: TablesOptions) {
    if (!TABLE_PREFIX.test(options.prefix)) {
      throw new Error(`Invalid table prefix ${JSON.stringify(options.prefix)}: 1-40 letters and digits, starting with a letter`);
    }
    if (!options.connectionString && !(options.accountName && options.accountKey && options.tableEndpoint)) {
      throw new Error('Azure storage needs a connectionString, or accountName, accountKey and tableEndpoint');
    }
  }

  table(name: string): AzureTable {
    let table = this.tables.get(name);
    if (!table) this.tables.set(name, (table = new AzureTable(this, `${this.options.prefix}${name}`)));
    return table;
  }

  /** @internal A client for `tableName`, its own retries off (withRetry does that), counting requests. */
  client(tableName: string): TableClient {
    const { connectionString, accountName, accountKey, tableEndpoint, onRequest } = this.options;
    const endpoint = tableEndpoint ?? /TableEndpoint=([^;]+)/i.exec(connectionString ?? '')?.[1] ?? '';
    const clientOptions: TableServiceClientOptions = {
      allowInsecureConnection: this.options.allowInsecureConnection ?? endpoint.startsWith('http://'),
      retryOptions: { maxRetries: 0 },
    };
    const client = connectionString
      ? TableClient.fromConnectionString(connectionString, tableName, clientOptions)
      : new TableClient(tableEndpoint as string, tableName, new AzureNamedKeyCredential(accountName as string, accountKey as string), clientOptions);
    if (onRequest) {
      client.pipeline.addPolicy({
        name: 'taskcluster-queue-request-counter',
        sendRequest: async (request, next) => {
          try {
            const response = await next(request);
            onRequest({ table: tableName, method: request.method, status: response.status });
            return response;
          } catch (error) {
            onRequest({ table: tableName, method: request.method, status: statusOf(error) });
            throw error;
          }
        },
      });
    }
    return client;
  }
}

export interface QueryOptions {
  readonly select?: readonly string[];
  /** Rows per request (at most 1000). */
  readonly pageSize?: number;
}

/**
 * One table: create-on-first-use, retries, and the mapping of Azure's answers to what the ports
 * promise (409 on insert and 412 on a conditional write → WriteConflict; 404 → absent).
 */
export class AzureTable {
  private readonly client: TableClient;
  private ensured: Promise<void> | undefined;
  /** Whether this process created (or found) the table. */
  used = false;

  constructor(private readonly tables: AzureTables, readonly name: string) {
    this.client = tables.client(name);
  }

  /** Creates the table if it does not exist (once per process unless it disappears). */
  ensure(): Promise<void> {
    if (!this.ensured) {
      this.used = true;
      this.ensured = withRetry(() => this.client.createTable(), this.tables.options.retry);
      this.ensured.catch(() => {
        this.ensured = undefined; // do not cache a failure
      });
    }
    return this.ensured;
  }

  /** Whether the table exists and holds a row; never creates it (for checks of stored data). */
  async holdsRows(): Promise<boolean> {
    try {
      const first = await withRetry(
        () => this.client.listEntities({ queryOptions: { select: ['RowKey'] } }).byPage({ maxPageSize: 1 }).next(),
        this.tables.options.retry,
      );
      return !first.done && first.value !== undefined && first.value.length > 0;
    } catch (error) {
      if (isTableNotFound(error)) return false;
      throw error;
    }
  }

  async drop(): Promise<void> {
    this.ensured = undefined;
    try {
      await withRetry(() => this.client.deleteTable(), this.tables.options.retry);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  private async run<T>(operation: (client: TableClient) => Promise<T>): Promise<T> {
    await this.ensure();
    try {
      return await withRetry(() => operation(this.client), this.tables.options.retry);
    } catch (error) {
      if (!isTableNotFound(error)) throw error;
      // Deleted behind our back (or by another process's drop): create it again, once.
      this.ensured = undefined;
      await this.ensure();
      return withRetry(() => operation(this.client), this.tables.options.retry);
    }
  }

  async get(partitionKey: string, rowKey: string): Promise<Row | undefined> {
    try {
      return (await this.run((c) => c.getEntity(partitionKey, rowKey))) as unknown as Row;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Inserts; WriteConflict when the row exists. Returns the new ETag. */
  async create(entity: Entity): Promise<string> {
    checkEntitySize(entity);
    try {
      return (await this.run((c) => c.createEntity(entity))).etag as string;
    } catch (error) {
      if (statusOf(error) === 409) throw new WriteConflict(`${this.name} ${entity.partitionKey}/${entity.rowKey} already exists`);
      throw error;
    }
  }

  /**
   * Replaces (or merges into) the row if its ETag is still `etag` (`*`: any version); WriteConflict
   * when it changed or is absent. Returns the new ETag.
   */
  /** The record at (partitionKey, rowKey) with its version, if any (see `versionedOf`). */
  async getVersioned<T>(partitionKey: string, rowKey: string): Promise<Versioned<T> | undefined> {
    const row = await this.get(partitionKey, rowKey);
    return row && versionedOf<T>(row);
  }

  /** Writes `value`'s entity: an insert when `version` is null, else a replace at that version. */
  async save<T>(entity: Entity, value: T, version: string | null): Promise<Versioned<T>> {
    return { value, version: version === null ? await this.create(entity) : await this.update(entity, version) };
  }

  async update(entity: Entity, etag: string, mode: 'Replace' | 'Merge' = 'Replace'): Promise<string> {
    checkEntitySize(entity);
    try {
      return (await this.run((c) => c.updateEntity(entity, mode, { etag }))).etag as string;
    } catch (error) {
      const status = statusOf(error);
      if (status === 412) throw new WriteConflict(`${this.name} ${entity.partitionKey}/${entity.rowKey} changed since it was read`);
      if (status === 404) throw new WriteConflict(`${this.name} ${entity.partitionKey}/${entity.rowKey} does not exist`);
      throw error;
    }
  }

  /** Inserts or replaces, whatever is there. Returns the new ETag. */
  async upsert(entity: Entity): Promise<string> {
    checkEntitySize(entity);
    return (await this.run((c) => c.upsertEntity(entity, 'Replace'))).etag as string;
  }

  /** Deletes if the ETag is still `etag` (default: any). False when absent; WriteConflict when changed. */
  async delete(partitionKey: string, rowKey: string, etag = '*'): Promise<boolean> {
    try {
      await this.run((c) => c.deleteEntity(partitionKey, rowKey, { etag }));
      return true;
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) return false;
      if (status === 412) throw new WriteConflict(`${this.name} ${partitionKey}/${rowKey} changed since it was read`);
      throw error;
    }
  }

  /**
   * Applies every action or none (one partition, at most 100 actions, one request). A failed
   * condition (404, 409, 412 of any action) is a TransactionConflict.
   */
  async transact(actions: readonly TransactionAction[]): Promise<void> {
    if (actions.length === 0) return;
    for (const action of actions) if (action[0] !== 'delete') checkEntitySize(action[1] as Entity);
    try {
      await this.run((c) => c.submitTransaction([...actions]));
    } catch (error) {
      const status = statusOf(error);
      if (status === 404 || status === 409 || status === 412) {
        throw new TransactionConflict(status, error instanceof Error ? error.message : String(error));
      }
      throw error;
    }
  }

  /**
   * One request's worth of rows matching `filter`, from `continuationToken` (Azure's own token).
   * A page may be short, even empty, while more rows follow; `next` says where.
   */
  async page(filter: string, options: QueryOptions & { continuationToken?: string } = {}): Promise<{ rows: Row[]; next?: string }> {
    const select = options.select ? [...options.select] : undefined;
    return this.run(async (c) => {
      const pages = c
        .listEntities({ queryOptions: select ? { filter, select } : { filter } })
        .byPage({ maxPageSize: Math.min(1000, options.pageSize ?? 1000), continuationToken: options.continuationToken });
      const result = await pages.next();
      if (result.done || !result.value) return { rows: [] };
      const page = result.value as unknown as Row[] & { continuationToken?: string };
      return { rows: [...page], next: page.continuationToken };
    });
  }

  /** Rows matching `filter` in key order, at most `limit` of them. */
  async query(filter: string, limit: number, options: QueryOptions = {}): Promise<Row[]> {
    const rows: Row[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.page(filter, { ...options, pageSize: Math.min(1000, Math.max(1, limit - rows.length)), continuationToken });
      rows.push(...page.rows.slice(0, limit - rows.length));
      continuationToken = page.next;
    } while (continuationToken !== undefined && rows.length < limit);
    return rows;
  }

  /** How many rows match `filter` (reads only their keys). */
  async count(filter: string): Promise<number> {
    let total = 0;
    let continuationToken: string | undefined;
    do {
      const page = await this.page(filter, { select: ['RowKey'], continuationToken });
      total += page.rows.length;
      continuationToken = page.next;
    } while (continuationToken !== undefined);
    return total;
  }
}

/** Counts storage requests: in total, per table, and per `<table> <method> <status>` (pass `record` as `onRequest`). */
export class RequestCounter {
  total = 0;
  readonly byTable = new Map<string, number>();
  readonly byRequest = new Map<string, number>();

  readonly record = (request: StorageRequest): void => {
    this.total++;
    this.byTable.set(request.table, (this.byTable.get(request.table) ?? 0) + 1);
    const kind = `${request.table} ${request.method} ${request.status ?? 'no-response'}`;
    this.byRequest.set(kind, (this.byRequest.get(kind) ?? 0) + 1);
  };

  reset(): void {
    this.total = 0;
    this.byTable.clear();
    this.byRequest.clear();
  }
}
