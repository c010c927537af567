/** @module Describes who may read and write a file: its mode and owner, by name where the system knows it. */
import { readFileSync, type Stats } from 'node:fs'

/** `0600` */
export function octalMode(stats: Stats): string {
  return `0${(stats.mode & 0o777).toString(8).padStart(3, '0')}`
}

/** `scimify:scimify`, or numeric ids when /etc/passwd and /etc/group do not name them (e.g. a DynamicUser). */
export function ownerOf(stats: Stats): string {
  return `${nameOf('/etc/passwd', stats.uid)}:${nameOf('/etc/group', stats.gid)}`
}

/** `mode 0640, owner scimify:scimify` */
export function describeAccess(stats: Stats): string {
  return `mode ${octalMode(stats)}, owner ${ownerOf(stats)}`
}

export const isWorldWritable = (stats: Stats): boolean => (stats.mode & 0o002) !== 0
export const isGroupWritable = (stats: Stats): boolean => (stats.mode & 0o020) !== 0

function nameOf(database: string, id: number): string {
  try {
    for (const line of readFileSync(database, 'utf8').split('\n')) {
      const [name, , entryId] = line.split(':')
      if (entryId !== undefined && Number(entryId) === id && name) return name
    }
  } catch {
    // No such database: numeric ids it is.
  }
  return String(id)
}
