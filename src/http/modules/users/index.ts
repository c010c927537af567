/** @module /Users (RFC 7644 §3): the shared resource routes for the User type. */
import type { HttpDeps } from '../../deps'
import { resourceRoutes } from '../resources/routes'

export const usersModule = (deps: HttpDeps) => resourceRoutes('User', deps)
