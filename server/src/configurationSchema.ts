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
      'dockwise.targetPlatforms': {
        type: 'array',
        scope: 'resource',
        default: ['linux/amd64', 'linux/arm64'],
        items: { type: 'string', pattern: '^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$' },
        markdownDescription: 'Platforms your images must run on (`os/arch[/variant]`). Image hovers mark platforms the base image is not published for.',
      },
      'dockwise.registry.network': {
        type: 'string',
        scope: 'machine-overridable',
        enum: ['off', 'public', 'all'],
        enumDescriptions: [
          'Never contact a registry; hovers show what the Dockerfile says only.',
          'Contact well-known public registries (Docker Hub, GHCR, Quay, MCR, Google, ECR Public, registry.k8s.io, cgr.dev) and the hosts in `dockwise.registry.hosts`.',
          'Contact any registry that is not on a private or loopback address, plus `dockwise.registry.hosts`.',
        ],
        default: 'public',
        markdownDescription: 'Which registries dockwise may ask about base images. In an untrusted workspace only the public list is used, anonymously.',
      },
      'dockwise.format.indentWidth': {
        type: ['number', 'null'],
        scope: 'language-overridable',
        default: null,
        minimum: 0,
        maximum: 16,
        markdownDescription: 'Spaces before each continuation line when formatting a Dockerfile. `null` uses the editor\'s tab size.',
      },
      'dockwise.inlayHints.resolvedImages': {
        type: 'boolean',
        scope: 'window',
        default: true,
        markdownDescription: 'After a `FROM` built from build arguments, show the image it resolves to (`= python:3.12-slim`).',
      },
      'dockwise.inlayHints.digestAge': {
        type: 'boolean',
        scope: 'window',
        default: true,
        markdownDescription: 'After a `FROM` pinned to a digest, show how old that image is (from the registry).',
      },
      'dockwise.registry.hosts': {
        type: 'array',
        scope: 'machine-overridable',
        default: [],
        items: { type: 'string' },
        markdownDescription: 'Extra registry hosts (`host` or `host:port`) dockwise may contact, including private and loopback ones, which are otherwise refused. Credentials come from your Docker configuration.',
      },
      'dockwise.registry.timeoutSeconds': {
        type: 'number',
        scope: 'machine-overridable',
        default: 5,
        minimum: 1,
        maximum: 60,
        markdownDescription: 'How long to wait for a registry before the hover says it did not answer.',
      },
      'dockwise.registry.cacheHours': {
        type: 'number',
        scope: 'machine-overridable',
        default: 6,
        minimum: 0.01,
        markdownDescription: "How long a tag's digest is trusted before the registry is asked again. Data by digest never expires; when offline, older data is shown, marked with its date.",
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
