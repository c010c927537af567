/** @module /Groups (RFC 7644 §3): the shared resource routes for the Group type. */
import type { HttpDeps } from '../../deps'
import { resourceRoutes } from '../resources/routes'

export const groupsModule = (deps: HttpDeps) => resourceRoutes('Group', deps)
