/** Pinning a base image from registry facts, shared by the rules about moving tags. */
import { replace } from '../../language/edits';
import type { DockerfileModel } from '../../language/model';
import type { Finding, Fix, RuleContext } from '../../engine/rule';

/**
 * "Pin to <name>:<most specific tag>" (preferred: readable) and "Pin to digest", when the registry
 * has answered. Written as the user wrote the name; not offered for references built from ARGs.
 *
 * The digest pin is `name:tag@sha256:…`, the form Renovate and Dependabot keep fresh: the tag is the
 * most specific one with today's digest, else the tag written, else `latest` (what no tag means).
 * The digest is the one the tag resolves to, the multi-platform index for a multi-platform image,
 * never one platform's manifest: the builder still picks each platform's own image from it.
 */
export function pinFixes(model: DockerfileModel, finding: Finding, context: RuleContext): Fix[] {
  const line = finding.range.start.line;
  const base = model.stages.map((s) => s.base).find((b) => b?.kind === 'image' && b.source.range.start.line === line);
  if (base?.kind !== 'image' || base.source.text !== base.source.expanded) return [];
  const facts = context.images?.(base.ref);
  if (!facts) return [];
  const name = model.document.getText(base.source.spans.name);
  const tag = facts.pinTag ?? base.ref.tag ?? 'latest';
  return [
    ...(facts.pinTag ? [{ title: `Pin to ${name}:${facts.pinTag}`, edits: [replace(base.source.range, `${name}:${facts.pinTag}`)], safe: false }] : []),
    { title: `Pin to digest ${name}:${tag}@${facts.digest.slice(0, 19)}…`, edits: [replace(base.source.range, `${name}:${tag}@${facts.digest}`)], safe: false },
  ];
}
