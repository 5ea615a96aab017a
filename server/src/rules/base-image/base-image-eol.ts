import type { Range } from 'vscode-languageserver-types';
import { replace } from '../../language/edits';
import { nearestSupported, rewritten, standing, supportParts, TABLE_MAX_AGE_DAYS, tableAge, utcToday, type Standing, type SupportPart } from '../../language/eolSupport';
import { EOL_TABLE } from '../../language/eolTable';
import type { BaseImage, Stage } from '../../language/model';
import { stageRule, type RuleContext } from '../../engine/rule';

/** Tag parts that pin one build (`20240125`, `b08`): a moved tag with them would name nothing. */
const BUILD_STAMP = /^(?:\d{6,}|b\d+)$/;

interface Judged {
  readonly part: SupportPart;
  readonly standing: Standing;
}

function says({ part, standing: s }: Judged, day: string): string {
  const what = part.role === 'os' ? `it is built on ${part.label}, which` : part.label;
  if (s.phase === 'ending') return `${what} reaches its end of life on ${s.until} (in ${Math.round((Date.parse(s.until!) - Date.parse(day)) / 86_400_000)} days)`;
  const lts = part.cycle.extended ? ` (Debian LTS; regular security support ended ${String(part.cycle.eol)})` : '';
  return `${what} reached its end of life ${s.until ? `on ${s.until}${lts}` : 'on a date not recorded'}`;
}

/** The tag with every judged part moved to its nearest supported cycle; `undefined` unless each one can move. */
function movedTag(tag: string, judged: readonly Judged[], day: string): string | undefined {
  const parts = tag.split('-');
  // `8u392` and `17.0.9_9` are Java update numbers: one build again.
  if (parts.some((p) => BUILD_STAMP.test(p)) || /^\d[\d.]*[u_]/.test(parts[0]!)) return undefined;
  for (const { part } of judged) {
    const next = part.part !== undefined ? nearestSupported(part.product, part.cycle, day) : undefined;
    const text = next && rewritten(part, next);
    if (!text) return undefined;
    parts[part.part!] = text;
  }
  return parts.join('-');
}

/** The day to judge by: today, or the table's own date once the table is stale (it cannot vouch for today; it claims only ends already passed then). */
function judgedAt(context: RuleContext): { readonly age: ReturnType<typeof tableAge>; readonly day: string } {
  const today = context.today ?? utcToday();
  const age = tableAge(today);
  return { age, day: age.stale ? EOL_TABLE.generatedAt : today };
}

/** The stage's base image with the support cycles its tag names, where the finding goes; `undefined` when the table knows none. */
function partsOf(stage: Stage, day: string): { readonly base: Extract<BaseImage, { kind: 'image' }>; readonly parts: SupportPart[]; readonly range: Range } | undefined {
  const base = stage.base;
  // A reference built from build arguments names whatever the build passes.
  if (base?.kind !== 'image' || base.source.text !== base.source.expanded) return undefined;
  const parts = supportParts(base.ref, day);
  return parts.length === 0 ? undefined : { base, parts, range: base.source.spans.tag ?? base.source.spans.name };
}

export const baseImageEol = stageRule({
  meta: {
    id: 'base-image-eol',
    title: 'Base image past its end of support',
    description: 'Flags base images whose OS or runtime cycle (Debian, Ubuntu, Alpine, Python, Node.js, …) is past or near its end of support, from an offline endoflife.date table.',
    category: 'base-image',
    severity: 'warning',
    fixable: 'sometimes',
    aliases: {},
    docs: {
      why: `Once a release cycle reaches its end of life, nobody fixes its security holes any more: the image still
builds, but every new CVE in its OS packages or its runtime stays open. \`debian:stretch\`, \`centos:7\`,
\`python:3.7\` and \`node:14\` all still pull and run, which is why old bases linger. A runtime image is built on
an OS, and its tag may name that OS: \`python:3.11-slim-buster\` runs a supported Python on Debian 10, whose
support ended in 2024, so the OS part is what needs to move.

dockwise reads the cycle from the tag (versions such as \`3.7.12\` or \`14\`, codenames such as \`bookworm\` or
\`jammy\`, and OS suffixes such as \`-slim-bullseye\` or \`-alpine3.17\`) and looks it up in an offline table built
from [endoflife.date](https://endoflife.date) (Debian, Ubuntu, Alpine, CentOS, Rocky Linux, AlmaLinux, Red Hat
UBI, Amazon Linux, Fedora; Python, Node.js, Go, OpenJDK, Eclipse Temurin, .NET, PHP, Ruby; PostgreSQL, MySQL,
MariaDB, Redis, nginx). Past the end of life is a warning, with the date; the last 90 days before it are
information. For Debian the end is that of Debian LTS, Debian's own security support from the same archive
(the hover shows when regular support ended). Tags it cannot map (\`latest\`, \`lts\`, \`alpine\`,
references built from build arguments, other images) are left alone. The table records its date: when it is
more than 180 days old, dockwise says so once and reports only ends that had passed when the table was made.
The \`FROM\` hover shows the support dates of the cycles a tag names.`,
      bad: `FROM python:3.7-slim-buster`,
      good: `FROM python:3.13-slim-trixie`,
      fix: `Move to a supported cycle and test the image: a newer runtime or OS changes what your code runs on.
The quick fix (not applied by fix-all, since the image changes) moves each part the message names to the nearest
newer cycle that is fully supported, keeping the tag's form and variant (\`3.7-slim-buster\` becomes
\`3.11-slim-trixie\`; a long-term release moves to a long-term release). Check that the tag exists for that
image: official images publish each version on the newest OS releases only. No fix is offered for tags pinned to
one build (\`jammy-20240125\`) or when no newer supported cycle is known.`,
    },
  },
  // The stage's key holds the day it is judged on (`context.today` or the UTC day), so a stage kept across midnight is judged again.
  checkStage(stage, _model, context) {
    const { age, day } = judgedAt(context);
    const found = partsOf(stage, day);
    if (!found) return [];
    const { base, parts, range } = found;
    const judged = parts.map((part) => ({ part, standing: standing(part.cycle, day) })).filter((j) => j.standing.phase === 'ended' || (!age.stale && j.standing.phase === 'ending'));
    if (judged.length === 0) return [];
    const fine = parts.filter((p) => !judged.some((j) => j.part === p) && p.role === 'image');
    const itself = !age.stale && judged.every((j) => j.part.role === 'os') && fine[0] ? `; ${fine[0].label} itself is supported` : '';
    const tag = !age.stale && base.ref.tag ? movedTag(base.ref.tag, judged, day) : undefined;
    const image = tag && `${base.ref.familiar.replace(/[:@].*$/, '')}:${tag}`;
    const suggestion = image ? ` Nearest supported: \`${image}\`.` : '';
    // A digest pin would keep the old image under the new tag; and the fix needs the tag's exact place.
    const fixable = tag && !base.ref.digest && base.source.spans.tag;
    return [
      {
        range,
        severity: judged.some((j) => j.standing.phase === 'ended') ? 'warning' : 'info',
        message: `\`${base.ref.familiar}\`: ${judged.map((j) => says(j, day)).join('; ')}${itself}.${suggestion}`,
        ...(fixable ? { data: { tag, image } } : {}),
      },
    ];
  },
  // Said once per document, on the first base the table knows: which one that is depends on every stage.
  checkFile(model, context) {
    const { age, day } = judgedAt(context);
    if (!age.stale) return [];
    const first = model.stages.map((stage) => partsOf(stage, day)).find((found) => found !== undefined);
    if (!first) return [];
    return [
      {
        range: first.range,
        severity: 'info',
        message: `The end-of-support table is from ${EOL_TABLE.generatedAt}, ${age.days} days ago (over ${TABLE_MAX_AGE_DAYS} days): dockwise reports only ends that had passed by then. Update dockwise for current dates.`,
      },
    ];
  },

  fix(_model, finding) {
    const { tag, image } = finding.data ?? {};
    if (typeof tag !== 'string') return [];
    return [{ title: `Move to ${String(image)} (a newer release: test the image)`, edits: [replace(finding.range, tag)], safe: false }];
  },
});
