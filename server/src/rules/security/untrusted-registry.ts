import { DOCKER_HUB } from '../../language/imageRef';
import { stageRule } from '../../engine/rule';

export const untrustedRegistry = stageRule({
  meta: {
    id: 'untrusted-registry',
    title: 'Base image from a registry outside the trusted list',
    description: 'Flags FROM images from registries not listed in dockwise.trustedRegistries (or trustedRegistries in .hadolint.yaml), when a list is set.',
    category: 'security',
    severity: 'warning',
    fixable: 'never',
    aliases: { hadolint: ['DL3026'] },
    docs: {
      why: `Teams that mirror or vet their base images want every \`FROM\` to come from those registries: an image pulled
from anywhere else skips the scanning, signing and availability guarantees the mirror provides. Set
\`dockwise.trustedRegistries\` (or \`trustedRegistries\` in \`.hadolint.yaml\`) to the allowed hosts; \`docker.io\` stands for
Docker Hub. With no list, the rule is silent.`,
      bad: `# dockwise.trustedRegistries: ["registry.example.com"]
FROM python:3.12-slim`,
      good: `FROM registry.example.com/mirror/python:3.12-slim`,
      fix: `Pull the image through a trusted registry, or add the registry to the list.`,
    },
  },
  checkStage(stage, _model, context) {
    if (context.trustedRegistries.length === 0) return [];
    const trusted = new Set(context.trustedRegistries.map((r) => (/^(?:index\.|registry-1\.)?docker\.io$|^hub\.docker\.com$/.test(r) ? DOCKER_HUB : r.toLowerCase())));
    const base = stage.base;
    if (base?.kind !== 'image' || trusted.has(base.ref.domain.toLowerCase())) return [];
    return [{ range: base.source.spans.name, message: `\`${base.ref.domain}\` is not a trusted registry (trusted: ${[...trusted].join(', ')}).` }];
  },
});
