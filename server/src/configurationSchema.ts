/**
 * The `contributes.configuration` block of package.json, derived from the rule
 * metadata so the settings UI always lists every rule with its description.
 * `npm run generate` writes it; a test fails when package.json is stale.
 * `order` is the Settings editor's order (most used first); enum choices carry Markdown
 * descriptions, which the editor shows beside each choice.
 */
import { rules } from './rules';
import { DEFAULT_TARGET_PLATFORMS, NETWORK_MODES, PLATFORM_PATTERN, RULE_LEVELS } from './settings';

export function configurationSchema() {
  return {
    title: 'dockwise',
    properties: {
      'dockwise.rules': {
        order: 1,
        type: 'object',
        scope: 'resource',
        default: {},
        markdownDescription:
          'Severity per rule, overriding the default: `off`, `hint`, `info`, `warning` or `error`. Example: `{ "image-tag-latest": "error" }`.',
        properties: Object.fromEntries(
          rules.map(({ meta }) => [
            meta.id,
            { type: 'string', enum: [...RULE_LEVELS], markdownDescription: `${meta.description} Default: \`${meta.severity}\`.` },
          ]),
        ),
        additionalProperties: false,
      },
      'dockwise.scope': {
        order: 2,
        type: 'string',
        scope: 'window',
        enum: ['open', 'workspace'],
        markdownEnumDescriptions: [
          'Lint the Dockerfiles that are open in the editor.',
          'Also lint every Dockerfile in the workspace, as it is on disk (leaving out `#files.exclude#` and `.gitignore` matches).',
        ],
        default: 'open',
        markdownDescription: 'Which Dockerfiles dockwise reports problems for.',
      },
      'dockwise.targetPlatforms': {
        order: 4,
        type: 'array',
        scope: 'resource',
        default: [...DEFAULT_TARGET_PLATFORMS],
        items: { type: 'string', pattern: PLATFORM_PATTERN },
        markdownDescription: 'Platforms your images must run on (`os/arch[/variant]`). Image hovers mark platforms the base image is not published for.',
      },
      'dockwise.registry.network': {
        order: 6,
        type: 'string',
        // Machine scope: only user (or remote) settings count, so a repository's .vscode/settings.json
        // can never widen what dockwise contacts, even in a trusted workspace.
        scope: 'machine',
        enum: [...NETWORK_MODES],
        markdownEnumDescriptions: [
          'Never contact a registry; hovers show what the Dockerfile says only.',
          'Contact well-known public registries (Docker Hub, GHCR, Quay, MCR, Google, ECR Public, registry.k8s.io, cgr.dev) and the hosts in `#dockwise.registry.hosts#`.',
          'Contact any registry that is not on a private or loopback address, plus `#dockwise.registry.hosts#`.',
        ],
        default: 'public',
        markdownDescription:
          'Which registries dockwise may ask about base images. Read from user (or remote) settings only, never from a workspace\'s settings. In an untrusted workspace only the public list is used, anonymously.',
      },
      'dockwise.format.indentWidth': {
        order: 10,
        type: ['number', 'null'],
        scope: 'language-overridable',
        default: null,
        minimum: 0,
        maximum: 16,
        markdownDescription: 'Spaces before each continuation line when formatting a Dockerfile. `null` uses the editor\'s tab size.',
      },
      'dockwise.inlayHints.resolvedImages': {
        order: 11,
        type: 'boolean',
        scope: 'window',
        default: true,
        markdownDescription: 'After a `FROM` built from build arguments, show the image it resolves to (`= python:3.12-slim`).',
      },
      'dockwise.inlayHints.digestAge': {
        order: 12,
        type: 'boolean',
        scope: 'window',
        default: true,
        markdownDescription: 'After a `FROM` pinned to a digest, show how old that image is (from the registry).',
      },
      'dockwise.registry.hosts': {
        order: 7,
        type: 'array',
        scope: 'machine',
        default: [],
        items: { type: 'string' },
        markdownDescription:
          'Extra registry hosts (`host` or `host:port`) dockwise may contact, including private and loopback ones, which are otherwise refused. Credentials come from your Docker configuration. Read from user (or remote) settings only, never from a workspace\'s settings.',
      },
      'dockwise.registry.timeoutSeconds': {
        order: 8,
        type: 'number',
        scope: 'machine-overridable',
        default: 5,
        minimum: 1,
        maximum: 60,
        markdownDescription: 'How long to wait for a registry before the hover says it did not answer.',
      },
      'dockwise.registry.cacheHours': {
        order: 9,
        type: 'number',
        scope: 'machine-overridable',
        default: 6,
        minimum: 0.01,
        markdownDescription: "How long a tag's digest is trusted before the registry is asked again. Data by digest never expires; when offline, older data is shown, marked with its date.",
      },
      'dockwise.trustedRegistries': {
        order: 3,
        type: 'array',
        scope: 'resource',
        default: [],
        items: { type: 'string' },
        markdownDescription:
          'Registries that base images may come from (`docker.io` for Docker Hub). When set, `FROM` images from any other registry are reported by `untrusted-registry`. `trustedRegistries` in `.hadolint.yaml` adds to it.',
      },
      'dockwise.buildkitChecks': {
        order: 5,
        type: 'string',
        scope: 'window',
        enum: ['dockwise', 'other'],
        markdownEnumDescriptions: [
          "dockwise reports BuildKit's checks. When Docker DX or Container Tools reports them too, a note (once) says how to turn its copies off.",
          "While Docker DX or Container Tools is enabled, dockwise leaves BuildKit's checks to it: its findings mapped to a BuildKit check that the other extension covers are not reported.",
        ],
        default: 'dockwise',
        markdownDescription:
          "Which extension reports BuildKit's build checks (`JSONArgsRecommended`, `MaintainerDeprecated`, …) when Docker DX (`docker.docker`) or Container Tools (`ms-azuretools.vscode-containers`) runs them too, so that no problem is reported twice.",
      },
    },
  };
}
