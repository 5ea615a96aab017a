/**
 * The hover for an image reference, as Markdown. Registry text only ever appears inside code
 * spans, so a label or description can never turn into a link or a command it did not come as.
 */
import { formatBytes } from '../engine/format';
import { DOCKER_HUB, type ImageRef } from '../engine/imageRef';
import type { HubBadge, HubRepository } from './hub';
import { mainPlatform, platformName, type ImageDescription, type RegistryError } from './types';

export type HoverState =
  | { readonly description: ImageDescription; readonly newer?: readonly string[]; readonly hub?: HubRepository }
  | { readonly error: RegistryError }
  | { readonly loading: true };

/** A code span that survives backticks in the text. */
export function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\s+/g, ' ')}${pad}${fence}`;
}

function compact(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(1)}B` : n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}K` : String(n);
}


/** Registry prose as plain text: Markdown syntax escaped and URLs kept from turning into links. */
export function prose(text: string, max = 200): string {
  const short = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return short.replace(/\s+/g, ' ').replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&').replace(/:\/\//g, ':\u200b//');
}

const BADGE_TEXT: Record<HubBadge, string> = {
  official: 'Docker Official Image',
  verified_publisher: 'Verified Publisher',
  open_source: 'Sponsored OSS',
  none: 'no Docker Hub trust badge ⚠',
};

function age(iso: string, now: number): string {
  const days = Math.floor((now - Date.parse(iso)) / 86_400_000);
  if (!Number.isFinite(days)) return iso;
  const when = iso.slice(0, 10);
  return days < 1 ? `${when} (today)` : days < 60 ? `${when} (${days} days ago)` : `${when} (${Math.round(days / 30)} months ago)`;
}

/** Our own link to the image's page, for registries that have one. */
export function imagePageUrl(ref: ImageRef): string | undefined {
  if (ref.domain === DOCKER_HUB) {
    const [namespace, ...rest] = ref.path.split('/');
    return namespace === 'library' ? `https://hub.docker.com/_/${rest.join('/')}` : `https://hub.docker.com/r/${ref.path}`;
  }
  if (ref.domain === 'ghcr.io' || ref.domain === 'quay.io') return `https://${ref.domain}/${ref.path}`;
  return undefined;
}

const LABELS: readonly [string, string][] = [
  ['org.opencontainers.image.version', 'version'],
  ['org.opencontainers.image.source', 'source'],
  ['org.opencontainers.image.licenses', 'licenses'],
  ['org.opencontainers.image.revision', 'revision'],
];

export function imageHover(ref: ImageRef, state: HoverState, targetPlatforms: readonly string[], now: number = Date.now()): string {
  const title = `**${ref.familiar.replace(/@sha256:([0-9a-f]{12})[0-9a-f]+$/, '@sha256:$1…')}**`;
  if ('loading' in state) return `${title} · fetching registry data…`;
  if ('error' in state) return `${title} · registry data unavailable: ${state.error.message}`;
  const { description } = state;
  const lines: string[] = [`${title} · ${code(description.digest.slice(0, 19))}`, '', code(`${ref.canonicalName}${ref.tag ? `:${ref.tag}` : ''}@${description.digest}`)];
  const hub = state.hub;
  if (hub) {
    const facts = [
      ...(hub.badge ? [BADGE_TEXT[hub.badge]] : []),
      ...(hub.pullCount !== undefined ? [`${compact(hub.pullCount)} pulls`] : []),
      ...(hub.lastUpdated ? [`updated ${age(hub.lastUpdated, now)}`] : []),
    ];
    if (facts.length) lines.push('', facts.join(' · '));
    if (hub.description) lines.push('', prose(hub.description));
  }

  const names = description.platforms.map(platformName);
  const missing = targetPlatforms.filter((t) => !names.some((n) => n === t || n.startsWith(`${t}/`)));
  lines.push('', '| platform | compressed |', '|---|---|');
  for (const p of description.platforms) lines.push(`| ${platformName(p)} | ${formatBytes(p.compressedSize)} |`);
  if (missing.length) lines.push('', `⚠ not published for ${missing.map(code).join(', ')} (dockwise.targetPlatforms)`);

  const config = mainPlatform(description)?.config;
  if (config) {
    const facts = [
      ...(config.created ? [`created ${age(config.created, now)}`] : []),
      config.user && !/^(?:root|0)(?::|$)/.test(config.user) ? `user ${code(config.user)}` : 'user `root` ⚠',
      ...(config.workingDir ? [`workdir ${code(config.workingDir)}`] : []),
    ];
    lines.push('', facts.join(' · '));
    const run = [
      ...(config.entrypoint?.length ? [`entrypoint ${code(JSON.stringify(config.entrypoint))}`] : []),
      ...(config.cmd?.length ? [`cmd ${code(JSON.stringify(config.cmd))}`] : []),
      ...(config.exposedPorts.length ? [`ports ${config.exposedPorts.map(code).join(' ')}`] : []),
    ];
    if (run.length) lines.push('', run.join(' · '));
    const labels = LABELS.flatMap(([key, name]) => (config.labels[key] ? [`${name} ${code(config.labels[key]!)}`] : []));
    if (labels.length) lines.push('', labels.join(' · '));
  }
  if (state.newer?.length) lines.push('', `newer: ${state.newer.map(code).join(' ')}`);
  const link = imagePageUrl(ref);
  if (link) lines.push('', `[Open the image's page](${link})`);
  if (description.source === 'hub') lines.push('', '_From Docker Hub: the registry itself could not be asked, so the image config is not shown._');
  if (description.stale) lines.push('', `_Registry unreachable: cached data as of ${new Date(description.fetchedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC._`);
  return lines.join('\n');
}
