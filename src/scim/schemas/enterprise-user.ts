/** @module The Enterprise User extension, RFC 7643 §4.3. */
import { attribute } from './attribute'
import type { SchemaDefinition } from './types'
import { ENTERPRISE_USER_SCHEMA } from './urns'

export const enterpriseUserSchema: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attribute('employeeNumber', 'string', 'Numeric or alphanumeric identifier assigned to a person, typically based on order of hire or association with an organization.'),
    attribute('costCenter', 'string', 'Identifies the name of a cost center.'),
    attribute('organization', 'string', 'Identifies the name of an organization.'),
    attribute('division', 'string', 'Identifies the name of a division.'),
    attribute('department', 'string', 'Identifies the name of a department.'),
    attribute('manager', 'complex', "The User's manager.", {
      subAttributes: [
        attribute('value', 'string', 'The id of the SCIM resource representing the User\'s manager.'),
        attribute('$ref', 'reference', 'The URI of the SCIM resource representing the User\'s manager.', { referenceTypes: ['User'] }),
        attribute('displayName', 'string', 'The displayName of the User\'s manager.', { mutability: 'readOnly' }),
      ],
    }),
  ],
}
