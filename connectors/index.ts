/**
 * @module The explicit list of connectors this build knows. Add a connector
 * by importing its definition here; nothing is discovered by scanning.
 */
import type { ConnectorDefinition } from '../src/connector/types'
import { buildkiteConnector } from './buildkite'
import { directoryConnector } from './directory'
import { githubConnector } from './github'
import { webhookConnector } from './webhook'

export const connectors: readonly ConnectorDefinition[] = [directoryConnector, webhookConnector, buildkiteConnector, githubConnector]
