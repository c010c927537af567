/**
 * @module Schema version 12: `normal_form`, which schema each document was
 * last normalised under (`normalFormOf`). Unknown (null) for documents
 * written before; a PATCH of plain attributes skips normalisation only for
 * a document in the current schema's form.
 */
import type { Migration } from './index'

export const normalForm: Migration = {
  version: 12,
  name: 'normal-form',
  up(db) {
    db.exec('ALTER TABLE resources ADD COLUMN normal_form TEXT')
  },
}
