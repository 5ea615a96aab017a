/**
 * The hover for an image reference, as Markdown. Registry text only ever appears inside code
 * spans (bounded, without control or bidi characters) or escaped as plain text (`prose`,
 * `inline`), platform names only when they follow the platform grammar, and dates only when they
 * parse; so a label, description, date or error can never turn into a link, an image or a command
 * it did not come as. The only links are the ones built here and by the server.
 */
import { formatBytes } from '../language/format';
import { imagePageUrl, type ImageRef } from '../language/imageRef';
import type { HubBadge, HubRepository } from './hub';
import { mainPlatform, platformName, type ImageDescription, type PlatformImage, type RegistryError } from './types';
import { byteCount, isPlatformName, plainText, timestamp } from './validate';

const MAX_CODE = 256;
const MAX_PORTS = 10;

export type HoverState =
  | { readonly description: ImageDescription; readonly newer?: readonly string[]; readonly hub?: HubRepository }
  | { readonly error: RegistryError }
  | { readonly loading: true };

/** A code span that survives backticks in the text; control and bidi characters dropped, at most `max` characters. */
export function code(raw: string, max = MAX_CODE): string {
  const text = plainText(raw, max) ?? ' ';
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * Text that must read as itself inside a Markdown line (names, error messages): inline syntax
 * escaped, and the starts of autolinks (`://`, `www.`, `@`) broken, so nothing becomes a link.
 */
export function inline(raw: string, max = 300): string {
  return (plainText(raw, max) ?? '')
    .replace(/[\\`*_[\]<>|~&!]/g, '\\$&')
    .replace(/:\/\//g, '\\://')
    .replace(/www\./gi, (m) => `${m.slice(0, 3)}\\.`)
    .replace(/@/g, '\\@');
}

function compact(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(1)}B` : n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}K` : String(n);
}


/** Registry prose as plain text: Markdown syntax escaped and URLs kept from turning into links. */
export function prose(text: string, max = 200): string {
  const short = plainText(text, max) ?? '';
  return short.replace(/[\\`*_{}[\]()#+\-.!|<>~@]/g, '\\$&').replace(/:\/\//g, ':\u200b//');
}

const BADGE_TEXT: Record<HubBadge, string> = {
  official: 'Docker Official Image',
  verified_publisher: 'Verified Publisher',
  open_source: 'Sponsored OSS',
  none: 'no Docker Hub trust badge ⚠',
};

/** A date and how long ago it was, only for an RFC 3339 timestamp; `undefined` for anything else. */
export function age(value: string, now: number): string | undefined {
  const iso = timestamp(value);
  if (!iso) return undefined;
  const days = Math.floor((now - Date.parse(iso)) / 86_400_000);
  const when = iso.slice(0, 10);
  return days < 1 ? `${when} (today)` : days < 60 ? `${when} (${days} days ago)` : `${when} (${Math.round(days / 30)} months ago)`;
}

/** A platform as a table cell: as written when it follows the grammar, otherwise a code span with no pipes. */
const platformCell = (p: Pick<PlatformImage, 'os' | 'architecture' | 'variant'>) => {
  const name = platformName(p);
  return isPlatformName(name) ? name : code(name.replace(/[|\\]/g, '?'), 64);
};


const LABELS: readonly [string, string][] = [
  ['org.opencontainers.image.version', 'version'],
  ['org.opencontainers.image.source', 'source'],
  ['org.opencontainers.image.licenses', 'licenses'],
  ['org.opencontainers.image.revision', 'revision'],
];

export function imageHover(ref: ImageRef, state: HoverState, targetPlatforms: readonly string[], now: number = Date.now()): string {
  const title = `**${inline(ref.familiar.replace(/@sha256:([0-9a-f]{12})[0-9a-f]+$/, '@sha256:$1…'))}**`;
  if ('loading' in state) return `${title} · fetching registry data…`;
  if ('error' in state) return `${title} · registry data unavailable: ${inline(state.error.message)}`;
  const { description } = state;
  const lines: string[] = [`${title} · ${code(description.digest.slice(0, 19))}`, '', code(`${ref.canonicalName}${ref.tag ? `:${ref.tag}` : ''}@${description.digest}`)];
  const hub = state.hub;
  if (hub) {
    const facts = [
      ...(hub.badge ? [BADGE_TEXT[hub.badge]] : []),
      ...(hub.pullCount !== undefined ? [`${compact(hub.pullCount)} pulls`] : []),
      ...(hub.lastUpdated && age(hub.lastUpdated, now) ? [`updated ${age(hub.lastUpdated, now)}`] : []),
    ];
    if (facts.length) lines.push('', facts.join(' · '));
    if (hub.description) lines.push('', prose(hub.description));
  }

  const more = (description.morePlatforms ?? []).filter(isPlatformName);
  const names = [...description.platforms.map(platformName), ...more];
  const missing = targetPlatforms.filter((t) => !names.some((n) => n === t || n.startsWith(`${t}/`)));
  lines.push('', '| platform | compressed |', '|---|---|');
  for (const p of description.platforms) lines.push(`| ${platformCell(p)} | ${formatBytes(byteCount(p.compressedSize))} |`);
  if (more.length) lines.push('', `also published for ${more.slice(0, 8).map((n) => code(n)).join(', ')}${more.length > 8 ? ` and ${more.length - 8} more` : ''} (not read)`);
  if (missing.length) lines.push('', `⚠ not published for ${missing.slice(0, 8).map((t) => code(t, 64)).join(', ')} (dockwise.targetPlatforms)`);

  const config = mainPlatform(description)?.config;
  if (config) {
    const facts = [
      ...(config.created && age(config.created, now) ? [`created ${age(config.created, now)}`] : []),
      config.user && !/^(?:root|0)(?::|$)/.test(config.user) ? `user ${code(config.user)}` : 'user `root` ⚠',
      ...(config.workingDir ? [`workdir ${code(config.workingDir)}`] : []),
    ];
    lines.push('', facts.join(' · '));
    const run = [
      ...(config.entrypoint?.length ? [`entrypoint ${code(JSON.stringify(config.entrypoint))}`] : []),
      ...(config.cmd?.length ? [`cmd ${code(JSON.stringify(config.cmd))}`] : []),
      ...(config.exposedPorts.length ? [`ports ${config.exposedPorts.slice(0, MAX_PORTS).map((p) => code(p, 64)).join(' ')}${config.exposedPorts.length > MAX_PORTS ? ` and ${config.exposedPorts.length - MAX_PORTS} more` : ''}`] : []),
    ];
    if (run.length) lines.push('', run.join(' · '));
    const labels = LABELS.flatMap(([key, name]) => (typeof config.labels[key] === 'string' && config.labels[key] ? [`${name} ${code(config.labels[key]!)}`] : []));
    if (labels.length) lines.push('', labels.join(' · '));
  }
  if (state.newer?.length) lines.push('', `newer: ${state.newer.slice(0, 8).map((t) => code(t, 128)).join(' ')}`);
  const link = imagePageUrl(ref);
  if (link) lines.push('', `[Open the image's page](${link})`);
  if (description.source === 'hub') lines.push('', '_From Docker Hub: the registry itself could not be asked, so the image config is not shown._');
  const fetched = new Date(description.fetchedAt);
  if (description.stale) lines.push('', `_Registry unreachable: cached data${Number.isFinite(fetched.getTime()) ? ` as of ${fetched.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}._`);
  return lines.join('\n');
}
