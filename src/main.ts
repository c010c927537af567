#!/usr/bin/env bun
/** @module Entry point of the `scimify` executable. */
import { createProgram } from './cli'

await createProgram().parseAsync(process.argv)
