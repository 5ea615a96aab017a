/**
 * The `contributes.configuration` block of package.json, derived from the rule
 * metadata so the settings UI always lists every rule with its description.
 * `npm run generate` writes it; a test fails when package.json is stale.
 */
import { rules } from './rules';

const LEVELS = ['off', 'hint', 'info', 'warning', 'error'];

export function configurationSchema() {
  return {
    title: 'dockwise',
    properties: {
      'dockwise.rules': {
        type: 'object',
        scope: 'resource',
        default: {},
        markdownDescription:
          'Severity per rule, overriding the default: `off`, `hint`, `info`, `warning` or `error`. Example: `{ "image-tag-latest": "error" }`.',
        properties: Object.fromEntries(
          rules.map(({ meta }) => [
            meta.id,
            { type: 'string', enum: LEVELS, markdownDescription: `${meta.description} Default: \`${meta.severity}\`.` },
          ]),
        ),
        additionalProperties: false,
      },
      'dockwise.scope': {
        type: 'string',
        scope: 'window',
        enum: ['open', 'workspace'],
        enumDescriptions: ['Lint the Dockerfiles that are open in the editor.', 'Also lint every Dockerfile in the workspace, as it is on disk (respecting `files.exclude` and `.gitignore`).'],
        default: 'open',
        markdownDescription: 'Which Dockerfiles dockwise reports problems for.',
      },
      'dockwise.trustedRegistries': {
        type: 'array',
        scope: 'resource',
        default: [],
        items: { type: 'string' },
        markdownDescription:
          'Registries that base images may come from (`docker.io` for Docker Hub). When set, `FROM` images from any other registry are reported by `untrusted-registry`. `trustedRegistries` in `.hadolint.yaml` adds to it.',
      },
    },
  };
}
