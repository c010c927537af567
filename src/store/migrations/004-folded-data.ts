/**
 * @module Schema version 4: `data_lc`, each document with its strings
 * lower-cased by JavaScript, so case-insensitive filters and sorting work
 * beyond ASCII (SQLite's lower() folds ASCII only).
 */
import { foldStrings } from '../fold'
import type { Migration } from './index'

export const foldedData: Migration = {
  version: 4,
  name: 'folded-data',
  up(db) {
    db.exec("ALTER TABLE resources ADD COLUMN data_lc TEXT NOT NULL DEFAULT '{}'")
    const update = db.prepare('UPDATE resources SET data_lc = $folded WHERE seq = $seq')
    for (const row of db.query<{ seq: number; data: string }, []>('SELECT seq, data FROM resources').iterate()) {
      update.run({ seq: row.seq, folded: JSON.stringify(foldStrings(JSON.parse(row.data))) })
    }
  },
}
