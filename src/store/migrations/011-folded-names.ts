/**
 * @module Schema version 11: the folded copy of a document (`data_lc`) folds
 * member names as well as strings, and is stored only for documents with
 * text beyond ASCII; for the others it is '' and SQL folds the document
 * itself with lower(). Each create or update wrote the copy: a third of a
 * user's row, and JavaScript work on every write.
 */
import { foldedCopy } from '../fold'
import type { Migration } from './index'

export const foldedNames: Migration = {
  version: 11,
  name: 'folded-names',
  up(db) {
    const update = db.prepare('UPDATE resources SET data_lc = $folded WHERE seq = $seq')
    for (const row of db.query<{ seq: number; data: string }, []>('SELECT seq, data FROM resources').iterate()) {
      update.run({ seq: row.seq, folded: foldedCopy(JSON.parse(row.data), row.data) })
    }
  },
}
