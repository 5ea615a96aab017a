import { pinFixes } from './pin';
import type { Rule } from './rule';

/** Tags that name a release channel rather than a release. */
const CHANNELS = new Set(['lts', 'current', 'stable', 'edge', 'rolling', 'mainline', 'nightly', 'slim', 'alpine']);

/** `3`, `20-alpine`: a major version only, which follows every minor release. */
const MAJOR_ONLY = /^\d{1,2}(?:-|$)/;

export const imageTagFloating: Rule = {
  meta: {
    id: 'image-tag-floating',
    title: 'Base image tag that floats across releases',
    description: 'Flags tags such as `python:3`, `node:lts` or `golang:alpine` that move to a new release without notice.',
    category: 'base-image',
    severity: 'warning',
    fixable: 'sometimes',
    aliases: {},
    docs: {
      why: `\`python:3\` is not a Python version: it is whichever 3.x is newest today, and it will be 3.14 tomorrow.
Channel tags (\`lts\`, \`stable\`, \`current\`, \`edge\`) and bare variant tags (\`alpine\`, \`slim\`) move the
same way. A rebuild then changes the language minor version, which is exactly the kind of change that
breaks compiled wheels, native modules and deprecated APIs. Tags like \`3.12-slim-bookworm\` still receive
patch releases but keep the version and the OS you tested.`,
      bad: `FROM python:3
FROM node:lts-alpine
FROM golang:alpine`,
      good: `FROM python:3.12-slim-bookworm
FROM node:20.18-alpine3.20
FROM golang:1.23-alpine3.20`,
      fix: `Replace the channel or major-only tag with a version that names at least the minor release, ideally with
the OS variant.
With registry data the quick fix offers to pin to the most specific tag that shares today's digest
(preferred) or to the digest.`,
    },
  },
  check(model) {
    return model.stages.flatMap((stage) => {
      const base = stage.base;
      if (base?.kind !== 'image' || base.ref.digest !== undefined || base.ref.tag === undefined) return [];
      const { tag } = base.ref;
      const channel = tag.split('-')[0]!;
      if (!MAJOR_ONLY.test(tag) && !CHANNELS.has(channel)) return [];
      const what = CHANNELS.has(channel) ? `the \`${channel}\` channel` : `every ${tag.split('-')[0]}.x release`;
      return [
        {
          range: base.source.spans.tag ?? base.source.spans.name,
          message: `\`${base.ref.familiar}\` follows ${what}, so a rebuild can silently change the version. Pin a tag with at least the minor version.`,
          data: { image: base.ref.canonicalName, tag },
        },
      ];
    });
  },
  fix: pinFixes,
};
