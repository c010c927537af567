/** @module Looks connector definitions up by their `type`. */
import type { ConnectorDefinition } from './types'

export class ConnectorRegistry {
  private readonly byType = new Map<string, ConnectorDefinition>()

  constructor(definitions: readonly ConnectorDefinition[]) {
    for (const definition of definitions) {
      if (this.byType.has(definition.type)) throw new Error(`connector type "${definition.type}" is registered twice`)
      this.byType.set(definition.type, definition)
    }
  }

  get(type: string): ConnectorDefinition | undefined {
    return this.byType.get(type)
  }

  types(): string[] {
    return [...this.byType.keys()]
  }
}
