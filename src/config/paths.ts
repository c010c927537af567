/** @module Where the config file is: `--config`, else `SCIMIFY_CONFIG`, else the demo default. */

/** Used when neither `--config` nor `SCIMIFY_CONFIG` is given; `serve` creates it on first start. */
export const DEFAULT_CONFIG_PATH = './data/config.yaml'

export interface ConfigLocation {
  path: string
  /** True when the path came from neither the flag nor the environment. */
  isDefault: boolean
}

export function resolveConfigPath(flag: string | undefined, env: Record<string, string | undefined>): ConfigLocation {
  if (flag) return { path: flag, isDefault: false }
  if (env.SCIMIFY_CONFIG) return { path: env.SCIMIFY_CONFIG, isDefault: false }
  return { path: DEFAULT_CONFIG_PATH, isDefault: true }
}
