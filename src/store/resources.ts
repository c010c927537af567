/**
 * @module Users and groups in SQLite. One class serves both resource types;
 * the differences (userName uniqueness, memberships) are columns and joins,
 * not copies of the code. Every method is scoped to one instance.
 */
import type { Database } from 'bun:sqlite'
import { isoNow } from '../clock'
import { ScimError } from '../scim/errors'
import type { MembershipChange } from '../scim/membership-patch'
import type { ScimObject } from '../scim/resource'
import { decodeCursor, encodeCursor } from './cursor'
import { filterToSql } from './filter-sql'
import { foldedCopy } from './fold'
import { groupCommitOf, type GroupCommit } from './group-commit'
import { PagePositions } from './page-positions'
import { sortToSql } from './sort-sql'
import { SyncStore } from './sync'
import type { ListQuery, ListResult, MemberRef, ResourceKind, ResourceWrite, StoredResource } from './types'

/**
 * A linked resource's display text, computed in SQL so no member's JSON is
 * parsed in JavaScript: the given text, else displayName, else a user's userName.
 */
const LINK_DISPLAY = (alias: string, given: string) =>
  `coalesce(${given}, json_extract(${alias}.data, '$.displayName'), CASE WHEN ${alias}.type = 'User' THEN json_extract(${alias}.data, '$.userName') END)`

/**
 * A group's members or a user's groups as one JSON array of [id, type, display]
 * in resource order: a correlated subquery, so a resource and its links are one
 * statement (a second statement per resource cost more than the row itself).
 */
const LINKS_JSON = `CASE r.type
  WHEN 'Group' THEN (SELECT json_group_array(json_array(m.id, m.type, ${LINK_DISPLAY('m', 'gm.display')}) ORDER BY m.seq)
    FROM group_members gm JOIN resources m ON m.seq = gm.member_seq WHERE gm.group_seq = r.seq)
  ELSE (SELECT json_group_array(json_array(g.id, g.type, ${LINK_DISPLAY('g', 'NULL')}) ORDER BY g.seq)
    FROM group_members gm JOIN resources g ON g.seq = gm.group_seq WHERE gm.member_seq = r.seq)
END`

/** The columns a resource is read from (not data_lc, the folded copy only SQL reads), without its links. */
const HEAD_COLUMNS = 'r.seq, r.id, r.type, r.data, r.version, r.created, r.last_modified, r.normal_form'

/** The columns a ResourceRow needs: the head and the links. */
const ROW_COLUMNS = `${HEAD_COLUMNS}, ${LINKS_JSON} AS links`

/** A stored membership: the member's id and seq, and the display text the client gave. */
interface MemberRow {
  id: string
  member_seq: number
  display: string | null
}

interface ResourceRow {
  seq: number
  id: string
  type: ResourceKind
  data: string
  version: number
  created: string
  last_modified: string
  normal_form: string | null
  /** JSON array of [id, type, display | null]. */
  links: string
}

/** A resource from its row, without its members or groups. */
function withoutLinks(row: Omit<ResourceRow, 'links'>): StoredResource {
  return {
    id: row.id,
    type: row.type,
    data: JSON.parse(row.data),
    dataJson: row.data,
    version: row.version,
    created: row.created,
    lastModified: row.last_modified,
    normalForm: row.normal_form,
  }
}

/** Attributes copied into indexed columns or rows so filters on them are index lookups. */
function indexedColumns(type: ResourceKind, data: ScimObject) {
  const text = (value: unknown) => (typeof value === 'string' ? value : null)
  return {
    user_name_key: type === 'User' ? text(data.userName)!.toLowerCase() : null,
    display_key: text(data.displayName)?.toLowerCase() ?? null,
    external_id: text(data.externalId),
    active: typeof data.active === 'boolean' ? Number(data.active) : null,
  }
}

/** The document as stored, and its case-folded copy for case-insensitive SQL ('' when lower() does the same). */
function documents(data: ScimObject) {
  const json = JSON.stringify(data)
  return { data: json, data_lc: foldedCopy(data, json) }
}

function emailValues(data: ScimObject): string[] {
  if (!Array.isArray(data.emails)) return []
  const values = data.emails.map((email) => (email as ScimObject).value).filter((v): v is string => typeof v === 'string')
  return [...new Set(values.map((v) => v.toLowerCase()))]
}

/**
 * The total a page of a filtered list proves by itself, sparing the count
 * query (as costly as the page: a `userName eq` lookup was two of them): a
 * page that is not full is the end of the results, so the total is what came
 * before it plus what is on it. Not when it is empty past the start: what
 * came before it may be fewer than was skipped.
 */
function totalShownBy(skipped: number, onPage: number, full: boolean): number | undefined {
  return !full && (onPage > 0 || skipped === 0) ? skipped + onPage : undefined
}

/**
 * A LIMIT written into the SQL rather than bound: SQLite prepares a statement
 * with a bound LIMIT again on every run (its planner reads the value), which
 * cost more than the query. Page sizes are few (Bun keeps the 20 most recent
 * statements), and this is an integer by construction.
 */
const limit = (count: number) => String(Math.max(0, Math.trunc(count)))

function userNameTaken(data: ScimObject): ScimError {
  return ScimError.of('uniqueness', `A user with userName '${data.userName}' already exists`)
}

function sameColumns(a: ReturnType<typeof indexedColumns>, b: ReturnType<typeof indexedColumns>): boolean {
  return a.user_name_key === b.user_name_key && a.display_key === b.display_key && a.external_id === b.external_id && a.active === b.active
}

function sameValues(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i])
}

export class ResourceStore {
  private readonly statements: ReturnType<typeof prepare>
  /** Writes share the turn's transaction; callers wait for `durable()` before acknowledging them. */
  private readonly writes: GroupCommit
  private readonly positions: PagePositions

  constructor(
    private readonly db: Database,
    /** Told of every effective write, inside its transaction, so the sync engine never misses one. */
    private readonly sync = new SyncStore(db),
    /**
     * Whether an instance's writes are queued for the sync engine. A store-only
     * instance has nothing downstream, so its writes skip the queue (and the
     * engine's work for them); SyncStore.noteConnector queues everything when
     * it gains a connector.
     */
    private readonly syncs: (instance: string) => boolean = () => true,
  ) {
    this.statements = prepare(db)
    this.writes = groupCommitOf(db)
    this.positions = new PagePositions(db)
  }

  create(instance: string, type: ResourceKind, write: ResourceWrite, now?: Date): StoredResource {
    // UUIDv7 (RFC 9562): unique like v4, and in creation order, so a new id lands at the end of the id index
    // instead of on a random page of it: a create dirties fewer pages (253 → 158 µs each at 20,000 users).
    const id = Bun.randomUUIDv7()
    const timestamp = now?.toISOString() ?? isoNow()
    const docs = documents(write.data)
    return this.writes.write(() => {
      let seq: number
      try {
        seq = Number(this.statements.insert.run({
          instance,
          type,
          id,
          ...indexedColumns(type, write.data),
          ...docs,
          version: 1,
          created: timestamp,
          last_modified: timestamp,
          normal_form: write.normalForm ?? null,
        }).lastInsertRowid)
      } catch (error) {
        // The unique index on (instance, user_name_key) is the uniqueness check: no lookup before every insert.
        if (type === 'User' && (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw userNameTaken(write.data)
        throw error
      }
      this.writeValues(seq, write.data)
      if (type === 'Group') this.writeMembers(instance, seq, write.members ?? [])
      this.markDirty({ instance, type, id })
      // A new user is in no group yet and its document is what was written: nothing to read back.
      // A group's members get their display texts from SQL.
      if (type === 'Group') return this.getBySeq(seq)!
      return {
        id,
        type,
        data: JSON.parse(docs.data),
        dataJson: docs.data,
        version: 1,
        created: timestamp,
        lastModified: timestamp,
        normalForm: write.normalForm ?? null,
        groups: [],
      }
    })
  }

  get(instance: string, type: ResourceKind, id: string): StoredResource | undefined {
    const row = this.statements.selectById.get({ instance, type, id }) as ResourceRow | null
    return row ? this.hydrate(row) : undefined
  }

  /**
   * Read-modify-write in one transaction. `change` gets the current resource
   * and returns the new content, or `null` when nothing changes (then the
   * version stays as it is). Returns undefined when the resource does not exist.
   */
  update(
    instance: string,
    type: ResourceKind,
    id: string,
    change: (current: StoredResource) => ResourceWrite | null,
    now?: Date,
  ): StoredResource | undefined {
    return this.writes.write(() => {
      const row = this.statements.selectById.get({ instance, type, id }) as ResourceRow | null
      if (!row) return undefined
      const current = this.hydrate(row)
      const next = change(current)
      if (next === null) return current
      const columns = indexedColumns(type, next.data)
      const currentColumns = indexedColumns(type, current.data)
      // Unchanged userName (case-insensitively): it cannot clash now.
      if (columns.user_name_key !== currentColumns.user_name_key) this.assertUniqueUserName(instance, type, next.data, row.seq)
      const docs = documents(next.data)
      const lastModified = now?.toISOString() ?? isoNow()
      const normal_form = next.normalForm ?? null
      // SQLite rewrites the entries of every index whose columns an UPDATE sets, changed or not: when none
      // changed (a new title, a phone number), only the documents are set.
      if (sameColumns(columns, currentColumns)) {
        this.statements.updateDocuments.run({ seq: row.seq, ...docs, last_modified: lastModified, normal_form })
      } else {
        this.statements.update.run({ seq: row.seq, ...columns, ...docs, last_modified: lastModified, normal_form })
      }
      if (!sameValues(emailValues(current.data), emailValues(next.data))) {
        this.statements.deleteValues.run({ seq: row.seq })
        this.writeValues(row.seq, next.data)
      }
      if (type === 'Group' && next.members) {
        this.replaceMembers(instance, row.seq, next.members)
      }
      this.markDirty({ instance, type, id })
      // A user's groups did not change with it; a group's members (and their display texts) may have.
      if (type === 'Group') return this.getBySeq(row.seq)!
      return { ...current, data: JSON.parse(docs.data), dataJson: docs.data, version: current.version + 1, lastModified, normalForm: normal_form }
    })
  }

  /**
   * Adds and removes some members of a group, touching only their rows (group
   * push: one PATCH per member, and reading all of a large group's members
   * for each was most of its cost). `check` sees the group first and may veto
   * (If-Match). Returns the group with its new version, with its members
   * only when `withMembers`; undefined when there is no such group; or
   * 'declined', having written nothing, when the change is not plainly one:
   * an added member not a user or group of the instance (or already there
   * with a display text to merge), a removed one not there. The caller then
   * patches it the general way. A member added again changes nothing.
   */
  changeMembers(
    instance: string,
    id: string,
    change: MembershipChange,
    check: (current: StoredResource) => void,
    withMembers: boolean,
    now?: Date,
  ): StoredResource | undefined | 'declined' {
    return this.writes.write(() => {
      const row = this.statements.selectGroupHead.get({ instance, id }) as Omit<ResourceRow, 'links'> | null
      if (!row) return undefined
      const current = withoutLinks(row)
      check(current)
      const memberSeq = (memberId: string) => (this.statements.selectSeqById.get({ instance, id: memberId }) as { seq: number } | null)?.seq
      const isMember = (seq: number) => this.statements.selectMembership.get({ group: row.seq, member: seq }) !== null
      const added: { seq: number; display: string | null }[] = []
      for (const member of change.add) {
        const seq = memberSeq(member.id)
        if (seq === undefined || seq === row.seq) return 'declined'
        if (!isMember(seq)) added.push({ seq, display: member.display ?? null })
        // Added again (a full push): nothing to do, unless it brings a display text (left to the engine's merge).
        else if (member.display !== undefined) return 'declined'
      }
      const removed: number[] = []
      for (const memberId of change.remove) {
        const seq = memberSeq(memberId)
        if (seq === undefined || !isMember(seq)) return 'declined'
        removed.push(seq)
      }
      if (added.length === 0 && removed.length === 0) return withMembers ? this.getBySeq(row.seq)! : current
      for (const { seq, display } of added) this.statements.insertMember.run({ group: row.seq, member: seq, display })
      for (const seq of removed) this.statements.deleteMember.run({ group: row.seq, member: seq })
      const lastModified = now?.toISOString() ?? isoNow()
      this.statements.touch.run({ seq: row.seq, last_modified: lastModified })
      this.markDirty({ instance, type: 'Group', id })
      if (withMembers) return this.getBySeq(row.seq)!
      return { ...current, version: current.version + 1, lastModified }
    })
  }

  /**
   * Deletes a resource; `check` may veto it (by throwing) after seeing the
   * current state, in the same transaction. False when there is no such resource.
   */
  delete(instance: string, type: ResourceKind, id: string, check?: (current: StoredResource) => void): boolean {
    return this.writes.write(() => {
      const row = this.statements.selectById.get({ instance, type, id }) as ResourceRow | null
      if (!row) return false
      check?.(this.hydrate(row))
      // Its memberships go with it: the groups that held it change too.
      const parents = this.groupIdsOf(row.seq)
      this.statements.delete.run({ instance, type, id })
      this.positions.forget()
      this.markDirty({ instance, type, id })
      for (const group of parents) this.markDirty({ instance, type: 'Group', id: group })
      return true
    })
  }


  /**
   * One page of an instance's resources of one type. Without sortBy the order
   * is creation order; cursor pages then continue after the last row seen
   * (keyset), so a page costs the same wherever it starts.
   */
  list(instance: string, type: ResourceKind, query: ListQuery): ListResult {
    const where = query.filter
      ? filterToSql(query.filter, query.resourceType, query.unknownAttributesMatchNothing)
      : { sql: '1', params: [] as unknown[] }
    // The type is written into the SQL (one of two constants), not bound: one value fewer for the planner to wait for.
    const base = `FROM resources r WHERE r.instance = ? AND r.type = '${type === 'Group' ? 'Group' : 'User'}' AND (${where.sql})`
    const params = [instance, ...where.params] as never[]
    // Creation order of everything: the total is kept by triggers, and startIndex walks continue by keyset.
    const everything = !query.filter && !query.sort
    const counted = () =>
      everything
        ? ((this.statements.countOf.get({ instance, type }) as { n: number } | null)?.n ?? 0)
        : this.db.query<{ n: number }, never[]>(`SELECT count(*) AS n ${base}`).get(...params)!.n
    const { paging } = query
    if (paging.count <= 0) return { totalResults: counted(), resources: [] }
    const orderBy = query.sort ? sortToSql(query.sort, query.resourceType) : 'r.seq'

    if (paging.kind === 'index') {
      const after = everything && paging.startIndex > 1 ? this.positions.seqBefore(instance, type, paging.startIndex) : undefined
      const rows =
        after === undefined
          ? this.db
              .query<ResourceRow, never[]>(`SELECT ${ROW_COLUMNS} ${base} ORDER BY ${orderBy} LIMIT ${limit(paging.count)} OFFSET ?`)
              .all(...params, (paging.startIndex - 1) as never)
          : this.db
              .query<ResourceRow, never[]>(`SELECT ${ROW_COLUMNS} ${base} AND r.seq > ? ORDER BY r.seq LIMIT ${limit(paging.count)}`)
              .all(...params, after as never)
      if (everything && rows.length > 0) this.positions.remember(instance, type, paging.startIndex + rows.length, rows.at(-1)!.seq)
      const total = everything ? undefined : totalShownBy(paging.startIndex - 1, rows.length, rows.length >= paging.count)
      return { totalResults: total ?? counted(), resources: rows.map((row) => this.hydrate(row)) }
    }

    const position = decodeCursor(paging.cursor)
    // Sorted results page by offset (the sort key may change between pages); unsorted ones by keyset.
    const rows =
      query.sort || 'offset' in position
        ? this.db
            .query<ResourceRow, never[]>(`SELECT ${ROW_COLUMNS} ${base} ORDER BY ${orderBy} LIMIT ${limit(paging.count + 1)} OFFSET ?`)
            .all(...params, ('offset' in position ? position.offset : 0) as never)
        : this.db
            .query<ResourceRow, never[]>(`SELECT ${ROW_COLUMNS} ${base} AND r.seq > ? ORDER BY r.seq LIMIT ${limit(paging.count + 1)}`)
            .all(...params, position.after as never)
    const page = rows.slice(0, paging.count)
    // What came before a keyset page is known only on the first one.
    const skipped = 'offset' in position ? position.offset : position.after === 0 ? 0 : undefined
    const total = everything || skipped === undefined ? undefined : totalShownBy(skipped, page.length, rows.length > paging.count)
    const result: ListResult = { totalResults: total ?? counted(), resources: page.map((row) => this.hydrate(row)) }
    if (rows.length > paging.count) {
      const offset = ('offset' in position ? position.offset : 0) + page.length
      result.nextCursor = encodeCursor(query.sort ? { offset } : { after: page.at(-1)!.seq })
    }
    return result
  }

  /** How many users and groups an instance has, for `scimify status`. */
  countByType(instance: string): { users: number; groups: number } {
    const rows = this.statements.countByType.all({ instance }) as { type: ResourceKind; n: number }[]
    const of = (type: ResourceKind) => rows.find((row) => row.type === type)?.n ?? 0
    return { users: of('User'), groups: of('Group') }
  }

  /** The type and id of every resource of an instance, in creation order: `scimify sync --full --dry-run`. */
  keys(instance: string): { type: ResourceKind; id: string }[] {
    return this.statements.selectKeys.all({ instance }) as { type: ResourceKind; id: string }[]
  }

  /** Runs `work` in one transaction (nested ones become savepoints), e.g. a write here and a link in SyncStore. */
  transaction<T>(work: () => T): T {
    return this.writes.write(work)
  }

  /** Resolves once every write so far is committed (see GroupCommit). */
  durable(): Promise<void> {
    return this.writes.durable()
  }

  /** Commits what the current turn wrote, now: before the database is closed. */
  flush(): void {
    this.writes.flush()
  }

  /** The ids of the groups that have this user or group as a direct member. */
  parentGroupIds(instance: string, id: string): string[] {
    const row = this.statements.selectSeqById.get({ instance, id }) as { seq: number } | null
    return row ? this.groupIdsOf(row.seq) : []
  }

  /** True when a write to the database succeeds (for /healthz). */
  isWritable(): boolean {
    try {
      this.statements.touchHealth.run({ at: new Date().toISOString() })
      return true
    } catch {
      return false
    }
  }

  private getBySeq(seq: number): StoredResource | undefined {
    const row = this.statements.selectBySeq.get({ seq }) as ResourceRow | null
    return row ? this.hydrate(row) : undefined
  }

  private hydrate(row: ResourceRow): StoredResource {
    const resource = withoutLinks(row)
    // Most users are in no group: '[]' needs no parse.
    const links =
      row.links === '[]'
        ? []
        : (JSON.parse(row.links) as [string, ResourceKind, string | null][]).map(([value, type, display]) =>
            display === null ? { value, type } : { value, type, display },
          )
    if (row.type === 'Group') resource.members = links
    else resource.groups = links
    return resource
  }

  private markDirty(key: { instance: string; type: ResourceKind; id: string }) {
    if (this.syncs(key.instance)) this.sync.markDirty(key)
  }

  private groupIdsOf(seq: number): string[] {
    return (this.statements.selectGroupIds.all({ seq }) as { id: string }[]).map((group) => group.id)
  }

  private assertUniqueUserName(instance: string, type: ResourceKind, data: ScimObject, ownSeq: number | undefined) {
    if (type !== 'User') return
    const key = String(data.userName).toLowerCase()
    const clash = this.statements.selectByUserName.get({ instance, key }) as { seq: number } | null
    if (clash && clash.seq !== ownSeq) throw userNameTaken(data)
  }

  private writeValues(seq: number, data: ScimObject) {
    for (const value of emailValues(data)) this.statements.insertValue.run({ seq, attribute: 'emails.value', value })
  }

  /**
   * Makes the group's members `members`, touching only the rows that change:
   * an identity provider adds members one PATCH at a time, and rewriting a
   * group of 100 for each was most of the PATCH.
   */
  private replaceMembers(instance: string, groupSeq: number, members: MemberRef[]) {
    const stored = new Map((this.statements.selectMemberRows.all({ seq: groupSeq }) as MemberRow[]).map((row) => [row.id, row]))
    const kept = new Set<string>()
    const added: MemberRef[] = []
    for (const member of members) {
      const row = stored.get(member.id)
      if (!row) added.push(member)
      else if (!kept.has(member.id)) {
        kept.add(member.id)
        const display = member.display ?? null
        if (display !== row.display) this.statements.updateMemberDisplay.run({ group: groupSeq, member: row.member_seq, display })
      }
    }
    for (const [id, row] of stored) if (!kept.has(id)) this.statements.deleteMember.run({ group: groupSeq, member: row.member_seq })
    this.writeMembers(instance, groupSeq, added)
  }

  private writeMembers(instance: string, groupSeq: number, members: MemberRef[]) {
    const seen = new Set<string>()
    for (const { id, display } of members) {
      if (seen.has(id)) continue
      seen.add(id)
      const member = this.statements.selectSeqById.get({ instance, id }) as { seq: number } | null
      if (!member) throw ScimError.of('invalidValue', `Member '${id}' is not a user or group of this instance`)
      this.statements.insertMember.run({ group: groupSeq, member: member.seq, display: display ?? null })
    }
  }

}

function prepare(db: Database) {
  return {
    insert: db.prepare(`
      INSERT INTO resources (instance, type, id, user_name_key, display_key, external_id, active, data, data_lc, version, created, last_modified, normal_form)
      VALUES ($instance, $type, $id, $user_name_key, $display_key, $external_id, $active, $data, $data_lc, $version, $created, $last_modified, $normal_form)`),
    update: db.prepare(`
      UPDATE resources SET user_name_key = $user_name_key, display_key = $display_key, external_id = $external_id,
        active = $active, data = $data, data_lc = $data_lc, version = version + 1, last_modified = $last_modified,
        normal_form = $normal_form
      WHERE seq = $seq`),
    updateDocuments: db.prepare(
      'UPDATE resources SET data = $data, data_lc = $data_lc, version = version + 1, last_modified = $last_modified, normal_form = $normal_form WHERE seq = $seq',
    ),
    delete: db.prepare('DELETE FROM resources WHERE instance = $instance AND type = $type AND id = $id'),
    selectById: db.prepare(`SELECT ${ROW_COLUMNS} FROM resources r WHERE instance = $instance AND id = $id AND type = $type`),
    selectBySeq: db.prepare(`SELECT ${ROW_COLUMNS} FROM resources r WHERE seq = $seq`),
    selectGroupHead: db.prepare(`SELECT ${HEAD_COLUMNS} FROM resources r WHERE instance = $instance AND id = $id AND type = 'Group'`),
    selectMembership: db.prepare('SELECT 1 AS found FROM group_members WHERE group_seq = $group AND member_seq = $member'),
    touch: db.prepare('UPDATE resources SET version = version + 1, last_modified = $last_modified WHERE seq = $seq'),
    countByType: db.prepare('SELECT type, n FROM resource_counts WHERE instance = $instance'),
    countOf: db.prepare('SELECT n FROM resource_counts WHERE instance = $instance AND type = $type'),
    selectKeys: db.prepare('SELECT type, id FROM resources WHERE instance = $instance ORDER BY seq'),
    selectSeqById: db.prepare('SELECT seq FROM resources WHERE instance = $instance AND id = $id'),
    selectByUserName: db.prepare(
      "SELECT seq FROM resources WHERE instance = $instance AND type = 'User' AND user_name_key = $key",
    ),
    insertValue: db.prepare('INSERT INTO resource_values (resource_seq, attribute, value) VALUES ($seq, $attribute, $value)'),
    deleteValues: db.prepare('DELETE FROM resource_values WHERE resource_seq = $seq'),
    insertMember: db.prepare('INSERT INTO group_members (group_seq, member_seq, display) VALUES ($group, $member, $display)'),
    touchHealth: db.prepare(
      'INSERT INTO _health (id, checked_at) VALUES (1, $at) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at',
    ),
    selectMemberRows: db.prepare('SELECT m.id, gm.member_seq, gm.display FROM group_members gm JOIN resources m ON m.seq = gm.member_seq WHERE gm.group_seq = $seq'),
    updateMemberDisplay: db.prepare('UPDATE group_members SET display = $display WHERE group_seq = $group AND member_seq = $member'),
    deleteMember: db.prepare('DELETE FROM group_members WHERE group_seq = $group AND member_seq = $member'),
    selectGroupIds: db.prepare('SELECT g.id FROM group_members gm JOIN resources g ON g.seq = gm.group_seq WHERE gm.member_seq = $seq'),
  }
}
