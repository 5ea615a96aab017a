/**
 * The JSON schema of `.dockwise.yaml` (`schemas/dockwise.schema.json`), derived from the rule
 * metadata and the parser's own lists so that editors validate exactly what `dockwise lint`
 * accepts. `npm run generate` writes it; a test fails when it is stale.
 */
import { rules } from '../rules';
import { NETWORK_MODES, PLATFORM_PATTERN, RULE_LEVELS } from '../settings';
import { CONFIG_KEYS } from './dockwiseConfig';

export const CONFIG_SCHEMA_PATH = 'schemas/dockwise.schema.json';

/** The parser takes a key with no value (`rules:`) as unset, so the schema allows null too. */
const list = (description: string, items: Record<string, unknown> = {}) => ({ type: ['array', 'null'], description, items: { type: 'string', minLength: 1, ...items } });

export function configFileSchema() {
  const properties = {
    rules: {
      type: ['object', 'null'],
      description: 'Level per rule id, over the rule\'s default: off, hint, info, warning or error. Editor settings and --rule win over it.',
      properties: Object.fromEntries(rules.map(({ meta }) => [meta.id, { enum: [...RULE_LEVELS], description: `${meta.description} Default: ${meta.severity}.` }])),
      additionalProperties: false,
    },
    trustedRegistries: list('Registries base images may come from (docker.io for Docker Hub); when set, FROM images from others are reported by untrusted-registry.'),
    targetPlatforms: list('Platforms the images must run on, os/arch[/variant] (default linux/amd64 and linux/arm64).', { pattern: PLATFORM_PATTERN }),
    ignorePaths: list('Dockerfiles not to lint: .gitignore-style patterns relative to the folder of this file.'),
    registry: {
      type: ['object', 'null'],
      description: 'Which registries dockwise lint --online may ask about base images. The editor uses its own dockwise.registry.* settings.',
      properties: {
        network: { enum: [...NETWORK_MODES], description: 'off: none; public (default): the well-known public registries and hosts; all: any registry not on a private or loopback address, and hosts.' },
        hosts: list('Extra registry hosts (host or host:port), including private and loopback ones.'),
      },
      additionalProperties: false,
    },
  } satisfies Record<(typeof CONFIG_KEYS)[number], unknown>;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://raw.githubusercontent.com/dockwise/dockwise/main/${CONFIG_SCHEMA_PATH}`,
    title: 'dockwise configuration (.dockwise.yaml)',
    description: 'Read by the dockwise editor extension and the dockwise command line, from the nearest .dockwise.yaml in a Dockerfile\'s folder or above.',
    type: ['object', 'null'],
    properties,
    additionalProperties: false,
  };
}
