/** @module The order bulk operations run in: after the operations whose bulkIds they reference (RFC 7644 §3.7.2). */
import { type BulkOperation, type InvalidBulkOperation } from './types'

/**
 * The order to process the operations in, as units: each unit is one
 * operation, or the POSTs of one circular reference (a strongly connected
 * component, also one POST referring to itself), in request order. A unit
 * comes after every unit it refers to; otherwise request order holds, so
 * forward references work and the client's intent is kept (§3.7).
 */
export function bulkProcessingOrder(operations: readonly (BulkOperation | InvalidBulkOperation)[]): number[][] {
  const creators = creatorsByBulkId(operations)
  const dependencies = operations.map((operation) =>
    'error' in operation ? [] : operation.references.flatMap((bulkId) => (creators.has(bulkId) ? [creators.get(bulkId)!] : [])),
  )
  const units = stronglyConnected(dependencies)
  const unitOf = new Map(units.flatMap((unit, u) => unit.map((index) => [index, u] as const)))
  const done = new Set<number>()
  const order: number[][] = []
  // The ready unit with the lowest first index; at most maxOperations units, so a scan will do.
  const remaining = units.map((unit, u) => ({ unit, u })).sort((a, b) => a.unit[0] - b.unit[0])
  while (remaining.length > 0) {
    const next = remaining.findIndex(({ unit, u }) =>
      unit.every((index) => dependencies[index].every((dependency) => unitOf.get(dependency) === u || done.has(unitOf.get(dependency)!))),
    )
    const [{ unit, u }] = remaining.splice(next, 1)
    done.add(u)
    order.push(unit)
  }
  return order
}

/** The operation that creates each bulkId: the first valid POST with it. */
export function creatorsByBulkId(operations: readonly (BulkOperation | InvalidBulkOperation)[]): Map<string, number> {
  const creators = new Map<string, number>()
  for (const operation of operations) {
    if (operation.method === 'POST' && operation.bulkId !== undefined && !creators.has(operation.bulkId)) creators.set(operation.bulkId, operation.index)
  }
  return creators
}

/** Tarjan's strongly connected components of the graph `edges` (node → nodes it depends on), each sorted. */
function stronglyConnected(edges: readonly number[][]): number[][] {
  const order: number[] = new Array(edges.length).fill(-1)
  const low: number[] = new Array(edges.length).fill(0)
  const onStack = new Set<number>()
  const stack: number[] = []
  const components: number[][] = []
  let counter = 0
  const visit = (node: number) => {
    order[node] = low[node] = counter++
    stack.push(node)
    onStack.add(node)
    for (const next of edges[node]) {
      if (order[next] === -1) {
        visit(next)
        low[node] = Math.min(low[node], low[next])
      } else if (onStack.has(next)) {
        low[node] = Math.min(low[node], order[next])
      }
    }
    if (low[node] !== order[node]) return
    const component: number[] = []
    let member: number
    do {
      member = stack.pop()!
      onStack.delete(member)
      component.push(member)
    } while (member !== node)
    components.push(component.sort((a, b) => a - b))
  }
  for (let node = 0; node < edges.length; node++) if (order[node] === -1) visit(node)
  return components
}
