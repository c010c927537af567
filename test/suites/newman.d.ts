/**
 * @module The part of newman's Node API (newman 6, no bundled types) that the
 * protocol suites use: `run` with a collection object and its summary.
 */
declare module 'newman' {
  export interface RunOptions {
    collection: object | string
    environment?: object | string
    globals?: object | string
    folder?: string | string[]
    reporters?: string | string[]
    /** Milliseconds for the whole run, one request, one script. */
    timeout?: number
    timeoutRequest?: number
    timeoutScript?: number
  }

  export interface ExecutedRequest {
    method: string
    url: { toString(): string }
    body?: { mode?: string; raw?: string }
  }

  export interface ExecutedResponse {
    code: number
    text(): string
  }

  export interface ScriptExecution {
    error?: { name?: string; message: string }
  }

  export interface Execution {
    item: { id: string; name: string }
    cursor: { position: number; iteration: number }
    request?: ExecutedRequest
    response?: ExecutedResponse
    requestError?: { message: string }
    assertions?: { assertion: string; skipped?: boolean; error?: { name?: string; message: string } }[]
    prerequestScript?: ScriptExecution[]
    testScript?: ScriptExecution[]
  }

  export interface Summary {
    run: {
      executions: Execution[]
      failures: unknown[]
      error?: unknown
    }
  }

  const newman: {
    run(options: RunOptions, callback: (error: Error | null, summary: Summary) => void): unknown
  }
  export default newman
}
