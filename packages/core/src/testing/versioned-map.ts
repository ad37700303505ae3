import { WriteConflict } from '../errors';
import type { Versioned } from '../ports/versioned';

let counter = 0;

/**
 * Records by key, each with an opaque version that changes on every write: the compare-and-swap
 * an ETag gives a real table. Values are stored and returned as given (never copied or changed);
 * a read returns the stored read-only `{value, version}` itself, so reads allocate nothing.
 * Versions come from one counter shared by every map, so a deleted and re-created record never
 * gets a version back that an old reader still holds.
 */
export class VersionedMap<V> {
  private readonly records = new Map<string, Versioned<V>>();

  get size(): number {
    return this.records.size;
  }

  get(key: string): Versioned<V> | undefined {
    return this.records.get(key);
  }

  has(key: string): boolean {
    return this.records.has(key);
  }

  /** Inserts; WriteConflict if the key exists. */
  create(key: string, value: V): Versioned<V> {
    if (this.records.has(key)) throw new WriteConflict(`${key} already exists`);
    return this.write(key, value);
  }

  /** Replaces if the stored version is `version`; WriteConflict if it is another or the key is absent. */
  update(key: string, value: V, version: string): Versioned<V> {
    this.check(key, version);
    return this.write(key, value);
  }

  /** `version` null: create; otherwise update. */
  save(key: string, value: V, version: string | null): Versioned<V> {
    return version === null ? this.create(key, value) : this.update(key, value, version);
  }

  /** Deletes if the stored version is `version`; absent is a no-op, another version a WriteConflict. */
  delete(key: string, version: string): void {
    if (!this.records.has(key)) return;
    this.check(key, version);
    this.records.delete(key);
  }

  /** Deletes whatever version is stored (for housekeeping that needs no condition). */
  remove(key: string): boolean {
    return this.records.delete(key);
  }

  *entries(): IterableIterator<[string, Versioned<V>]> {
    for (const [key, entry] of this.records) yield [key, entry];
  }

  *values(): IterableIterator<Versioned<V>> {
    yield* this.records.values();
  }

  /** Up to `limit` records whose value passes `test`, in insertion order. */
  select(limit: number, test: (value: V) => boolean): Versioned<V>[] {
    const found: Versioned<V>[] = [];
    for (const entry of this.records.values()) {
      if (found.length >= limit) break;
      if (test(entry.value)) found.push(entry);
    }
    return found;
  }

  private check(key: string, version: string): void {
    const current = this.records.get(key);
    if (!current) throw new WriteConflict(`${key} does not exist (deleted since it was read?)`);
    if (current.version !== version) throw new WriteConflict(`${key} changed since version ${version} was read`);
  }

  private write(key: string, value: V): Versioned<V> {
    const entry: Versioned<V> = { value, version: String(++counter) };
    this.records.set(key, entry);
    return entry;
  }
}
