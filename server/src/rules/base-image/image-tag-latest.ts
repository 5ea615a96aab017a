import { isDistroless } from '../../language/imageFamily';
import { LATEST_TAG } from '../../language/imageFamily';
import { pinFixes } from '../shared/pin';
import { stageRule } from '../../engine/rule';

export const imageTagLatest = stageRule({
  meta: {
    id: 'image-tag-latest',
    title: 'Base image without a tag or with `latest`',
    description: 'Flags FROM images that have no tag or use `latest` (or a `latest-…` variant), which change under you with every release.',
    category: 'base-image',
    severity: 'warning',
    fixable: 'sometimes',
    aliases: { hadolint: ['DL3006', 'DL3007'], trivy: ['DS-0001'], checkov: ['CKV_DOCKER_7'] },
    facts: ['digest', 'pinTag'],
    docs: {
      why: `A tag is a moving name. \`FROM python\` is read by the builder as \`FROM python:latest\`, and \`latest\` is
whatever the publisher pushed most recently. The same Dockerfile then builds a different image next month: a
new major version of the language, a new Debian release underneath, packages that moved. Builds stop being
reproducible, a rollback rebuilds something you never tested, and nobody can say which security fixes an
image contains. Naming the version (and the OS, as in \`python:3.12-slim-bookworm\`) makes the base a decision
you review, not an accident.

Variants of \`latest\` (\`latest-alpine\`, \`latest-slim\`) move the same way and are reported too.

The rule looks through build arguments: \`ARG BASE=node\` then \`FROM \${BASE}\` is reported too. A base that
depends on an argument with no default is not, since only the builder knows its value. Stage references
(\`FROM build\`), \`scratch\` and digest-pinned references (\`@sha256:…\`) are never reported, nor are
distroless and Chainguard images: they publish no version tags to pin, so image-digest-recommended reports
them instead.`,
      bad: `FROM python
FROM node:latest AS build`,
      good: `FROM python:3.12-slim-bookworm
FROM node:20.18-bookworm-slim AS build`,
      fix: `Pick the most specific tag that fits (version plus OS variant) or pin a digest.
With registry data the quick fix offers to pin to the most specific tag that shares today's digest
(preferred, readable) or to that tag with the digest, \`python:3.13.1@sha256:<index digest>\`: the tag
says which release it is, the digest is the multi-platform index (each platform still gets its own
image), and Renovate and Dependabot read this form to propose the next digest, so the pin stays fresh.`,
    },
  },
  checkStage(stage) {
    const base = stage.base;
    if (base?.kind !== 'image' || base.ref.digest !== undefined || isDistroless(base.ref)) return [];
    const { ref, source } = base;
    if (ref.tag !== undefined && !LATEST_TAG.test(ref.tag)) return [];
    const subject =
      source.text === source.expanded ? `\`${ref.familiar}\`` : `\`${source.text}\` resolves to \`${ref.familiar}\`, which`;
    const problem =
      ref.tag === undefined ? 'has no tag, so it means `latest`' : ref.tag === 'latest' ? 'uses the `latest` tag' : `uses \`${ref.tag}\`, a variant of \`latest\``;
    return [
      {
        range: source.spans.tag ?? source.spans.name,
        message: `${subject} ${problem}: every rebuild can pull a different image. Pin a version tag or a digest.`,
        data: { image: ref.canonicalName, ...(ref.tag !== undefined ? { tag: ref.tag } : {}) },
      },
    ];
  },
  fix: pinFixes,
});
