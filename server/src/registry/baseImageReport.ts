/**
 * The base-image report: the variants of an image's version side by side (full, -slim, -alpine,
 * distroless where known) with compressed size per platform, creation dates and default users,
 * and the tags that point at the same digest. Data from the registry client (and so its cache,
 * offline included); the page is static HTML with no script, themed by VS Code's CSS variables.
 */
import { formatBytes } from '../language/format';
import { parseImageRef, type ImageRef } from '../language/imageRef';
import { splitTag } from './pinning';
import { mainPlatform, platformName, RegistryError, type ImageDescription, type RegistryClient } from './types';
import { byteCount, isTag, timestamp } from './validate';

export interface ReportRow {
  readonly label: string;
  readonly ref: ImageRef;
  readonly current: boolean;
  readonly description?: ImageDescription;
  readonly error?: string;
}

export interface BaseImageReport {
  readonly ref: ImageRef;
  readonly rows: readonly ReportRow[];
  /** Other tags with the same digest as the image itself. */
  readonly sameDigest: readonly string[];
}

const MAX_VARIANTS = 6;
const MAX_DIGEST_CHECKS = 12;

/** Distroless images that fit a language's official image, by its repository. */
const DISTROLESS: Readonly<Record<string, string>> = {
  'docker.io/library/python': 'gcr.io/distroless/python3-debian12:latest',
  'docker.io/library/node': 'gcr.io/distroless/nodejs22-debian12:latest',
  'docker.io/library/golang': 'gcr.io/distroless/static-debian12:latest',
  'docker.io/library/eclipse-temurin': 'gcr.io/distroless/java21-debian12:latest',
  'docker.io/library/openjdk': 'gcr.io/distroless/java21-debian12:latest',
};

/** Tags of the same version in other variants: `3.12.7` → `3.12.7-slim`, `3.12.7-alpine`, … (the current tag first). */
export function variantTags(tag: string, tags: readonly string[]): string[] {
  const { version } = splitTag(tag);
  const preferred = ['', '-slim', '-alpine'];
  const sameVersion = version ? tags.filter((t) => splitTag(t).version === version) : tags.filter((t) => ['latest', 'slim', 'alpine'].includes(t));
  const rank = (t: string) => {
    const index = preferred.indexOf(splitTag(t).suffix);
    return index === -1 ? preferred.length : index;
  };
  const others = sameVersion.filter((t) => t !== tag).sort((a, b) => rank(a) - rank(b) || a.length - b.length || a.localeCompare(b));
  return [tag, ...others].slice(0, MAX_VARIANTS);
}

/** Tags likely to share the digest: the same variant at other precisions (`3.12-slim`, `3-slim`, `3.12.7-slim`). */
export function sameDigestCandidates(tag: string, tags: readonly string[]): string[] {
  const { version, suffix } = splitTag(tag);
  return tags
    .filter((t) => t !== tag)
    .filter((t) => {
      const other = splitTag(t);
      if (other.suffix !== suffix) return false;
      if (!version || !other.version) return true;
      return other.version.startsWith(`${version}.`) || version.startsWith(`${other.version}.`);
    })
    .slice(0, MAX_DIGEST_CHECKS);
}

export async function gatherReport(client: RegistryClient, ref: ImageRef): Promise<BaseImageReport> {
  const tag = ref.tag ?? 'latest';
  // Tags are validated by the client; checked again here because a cached list may predate that.
  const tags = (await client.tags(ref).catch(() => [] as readonly string[])).filter(isTag);
  const withTag = (t: string): ImageRef => ({ ...ref, tag: t, familiar: `${ref.familiar.replace(/[:@].*$/, '')}:${t}` });
  const targets: { label: string; ref: ImageRef; current: boolean }[] = ref.digest
    ? [{ label: ref.familiar, ref, current: true }]
    : variantTags(tag, tags.includes(tag) ? tags : [tag, ...tags]).map((t) => ({ label: t, ref: withTag(t), current: t === tag }));
  const distroless = DISTROLESS[ref.canonicalName];
  const distrolessRef = distroless ? parseImageRef(distroless)?.ref : undefined;
  if (distrolessRef) targets.push({ label: distroless!.replace(/:latest$/, ''), ref: distrolessRef, current: false });
  const rows = await Promise.all(
    targets.map(async (t): Promise<ReportRow> => {
      try {
        return { ...t, description: await client.describe(t.ref) };
      } catch (error) {
        return { ...t, error: error instanceof RegistryError ? error.message : 'the registry did not answer' };
      }
    }),
  );
  const digest = rows.find((r) => r.current)?.description?.digest;
  const sameDigest = digest && !ref.digest
    ? (await Promise.all(sameDigestCandidates(tag, tags).map(async (t) => ((await client.digestOf(ref, t).catch(() => undefined)) === digest ? t : undefined)))).filter((t): t is string => !!t)
    : [];
  return { ref, rows, sameDigest };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The report page. `nonce` admits the one style sheet; nothing else may load or run. */
export function reportHtml(report: BaseImageReport, nonce: string): string {
  const platforms = [...new Set(report.rows.flatMap((r) => r.description?.platforms.map(platformName) ?? []))].sort();
  const largest = Math.max(1, ...report.rows.flatMap((r) => r.description?.platforms.map((p) => byteCount(p.compressedSize)) ?? []));
  const BAR = 360;
  const chart = report.rows
    .map((row) => {
      const bars = (row.description?.platforms ?? [])
        .slice()
        .sort((a, b) => platformName(a).localeCompare(platformName(b)))
        .map((p, i) => {
          const width = Math.max(2, Math.round((byteCount(p.compressedSize) / largest) * BAR));
          return `<g transform="translate(0 ${i * 18})"><text x="0" y="12" class="axis">${escapeHtml(platformName(p))}</text><rect x="120" y="2" width="${width}" height="12" class="bar p${platforms.indexOf(platformName(p)) % 4}"/><text x="${126 + width}" y="12">${escapeHtml(formatBytes(byteCount(p.compressedSize)))}</text></g>`;
        })
        .join('');
      const height = Math.max(18, (row.description?.platforms.length ?? 0) * 18);
      const body = row.error ? `<p class="error">${escapeHtml(row.error)}</p>` : `<svg role="img" aria-label="compressed size per platform of ${escapeHtml(row.label)}" width="${BAR + 220}" height="${height}">${bars}</svg>`;
      return `<section class="${row.current ? 'current' : ''}"><h2>${escapeHtml(row.label)}${row.current ? ' <span class="badge">this image</span>' : ''}</h2>${body}</section>`;
    })
    .join('\n');
  const table = report.rows
    .map((row) => {
      const main = row.description ? mainPlatform(row.description) : undefined;
      // Every cell is escaped here, so registry text (labels, users, errors) never becomes markup.
      const cells = row.description
        ? [escapeHtml(row.label), `<code>${escapeHtml(row.description.digest.slice(0, 19))}…</code>`, String(row.description.platforms.length), main ? formatBytes(byteCount(main.compressedSize)) : '—', escapeHtml(timestamp(main?.config?.created)?.slice(0, 10) ?? '—'), escapeHtml(main?.config?.user || 'root'), row.description.stale ? 'cached' : '']
        : [escapeHtml(row.label), '—', '—', '—', '—', '—', escapeHtml(row.error ?? '')];
      return `<tr${row.current ? ' class="current"' : ''}>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const same = report.sameDigest.length > 0 ? `<p>Same digest as <code>${escapeHtml(report.ref.tag ?? '')}</code>: ${report.sameDigest.map((t) => `<code>${escapeHtml(t)}</code>`).join(', ')}</p>` : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<title>Base image: ${escapeHtml(report.ref.familiar)}</title>
<style nonce="${nonce}">
body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); padding: 0 1.5em; }
h1 { font-size: 1.3em; } h2 { font-size: 1em; margin: 1em 0 .3em; }
table { border-collapse: collapse; margin: 1em 0; } td, th { padding: .25em .8em; border-bottom: 1px solid var(--vscode-panel-border); text-align: left; }
tr.current td { font-weight: 600; } .badge { font-size: .8em; padding: 0 .4em; border-radius: 3px; background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }
svg text { fill: var(--vscode-foreground); font-size: 11px; } .axis { fill: var(--vscode-descriptionForeground); }
.bar.p0 { fill: var(--vscode-charts-blue); } .bar.p1 { fill: var(--vscode-charts-green); } .bar.p2 { fill: var(--vscode-charts-orange); } .bar.p3 { fill: var(--vscode-charts-purple); }
.error { color: var(--vscode-errorForeground); }
</style></head>
<body>
<h1>Base image: <code>${escapeHtml(report.ref.familiar)}</code></h1>
<table><thead><tr><th>variant</th><th>digest</th><th>platforms</th><th>size (${escapeHtml(platforms.includes('linux/amd64') ? 'linux/amd64' : 'first platform')})</th><th>created</th><th>user</th><th></th></tr></thead>
<tbody>
${table}
</tbody></table>
${same}
<h1>Compressed size per platform</h1>
${chart}
</body></html>
`;
}
