/** @module The schemas and resource types scimify serves. */
export * from './types'
export * from './urns'
export { attribute } from './attribute'
export { userSchema } from './user'
export { groupSchema } from './group'
export { enterpriseUserSchema } from './enterprise-user'
export { userResourceType, groupResourceType, resourceTypes, findAttribute } from './resource-types'
