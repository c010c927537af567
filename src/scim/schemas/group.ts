/** @module The core Group schema, RFC 7643 §4.2 and §8.7.1. */
import { attribute } from './attribute'
import type { SchemaDefinition } from './types'
import { GROUP_SCHEMA } from './urns'

export const groupSchema: SchemaDefinition = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    attribute('displayName', 'string', 'A human-readable name for the Group.', { required: true }),
    attribute('members', 'complex', 'A list of members of the Group.', {
      multiValued: true,
      subAttributes: [
        attribute('value', 'string', 'Identifier of the member of this Group.', { mutability: 'immutable' }),
        attribute('$ref', 'reference', 'The URI corresponding to a SCIM resource that is a member of this Group.', {
          mutability: 'immutable',
          referenceTypes: ['User', 'Group'],
        }),
        // RFC 7643 §2.4: display is immutable (set by the client); without one, scimify shows the member's name.
        attribute('display', 'string', 'A human-readable name of the member.', { mutability: 'immutable' }),
        attribute('type', 'string', 'A label indicating the type of resource, e.g., "User" or "Group".', {
          mutability: 'immutable',
          canonicalValues: ['User', 'Group'],
        }),
      ],
    }),
  ],
}
