// Data-driven: hadolint's own documented examples (test/fixtures/hadolint/<DLxxxx>/, sources in its
// SOURCES.md) against the dockwise rules that claim those codes through `meta.aliases.hadolint`.
// Every `bad-<n>` example must be reported by one of those rules, every `good-<n>` one must not.
// Instruction-level codes are also checked with the flagged instructions moved into `ONBUILD`
// triggers, which hadolint unwraps and checks like the instruction itself.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { rules } from '../../server/src/rules';
import { EMPTY_CONTEXT, type RuleContext } from '../../server/src/engine/rule';
import { ROOT } from '../paths';
import { lint } from '../../server/src/linter';

const FIXTURES = join(ROOT, 'test/fixtures/hadolint');

/** The dockwise rules that answer for a hadolint code. */
function idsFor(code: string): string[] {
  return rules.filter((rule) => rule.meta.aliases.hadolint?.includes(code)).map((rule) => rule.meta.id);
}

/** Facts from outside the file that an example assumes, as the wiki page states them. */
const CONTEXT: Readonly<Record<string, RuleContext>> = {
  // The page runs `hadolint --trusted-registry my-registry.com Dockerfile`.
  DL3026: { ...EMPTY_CONTEXT, trustedRegistries: ['my-registry.com'] },
};

/**
 * Examples that cannot be judged offline (they need registry answers or a build context this
 * test does not have), by `<code>/<file>`, with the reason. Empty today: every example is
 * decided by the text alone (DL3026's trusted list is given above, as the page gives it).
 */
const OFFLINE_SKIP: Readonly<Record<string, string>> = {};

/**
 * Wiki examples of a check that hadolint has since narrowed, by `<code>/<file>`, with the reason: the
 * example no longer shows what the code reports, so the rule must stay quiet on it like on a good one.
 */
const OUTDATED: Readonly<Record<string, string>> = {
  'DL3035/bad-1.Dockerfile':
    "`zypper update` is what DL3035 used to report; hadolint's DL3035 now reports only `zypper dist-upgrade`/`dup` (src/Hadolint/Rule/DL3035.hs: \"Do not use `zypper dist-upgrade`.\"), and bad-2 is its spec's example. An in-release update is the security-patch step DL3005's page now calls good.",
};

/**
 * Instruction keywords to move into `ONBUILD` for the trigger variant of each code's examples.
 * `hadolint: true` where hadolint itself checks the trigger (its src/Hadolint/Rule/DLxxxx.hs
 * reads `rule = dlxxxx <> onbuild dlxxxx`); `false` where hadolint does not unwrap ONBUILD for
 * that code, but the check is about the instruction alone, so a trigger is just as wrong in the
 * image that runs it.
 */
const ONBUILD: Readonly<Record<string, { readonly keywords: readonly string[]; readonly hadolint: boolean }>> = {
  DL3000: { keywords: ['WORKDIR'], hadolint: false },
  DL3001: { keywords: ['RUN'], hadolint: true },
  DL3003: { keywords: ['RUN'], hadolint: false },
  DL3004: { keywords: ['RUN'], hadolint: true },
  // Deleted from hadolint in v2.13.0 (#964); until then `dl3005 <> onbuild dl3005`. The wiki page remains.
  DL3005: { keywords: ['RUN'], hadolint: true },
  DL3009: { keywords: ['RUN'], hadolint: true },
  DL3011: { keywords: ['EXPOSE'], hadolint: false },
  DL3014: { keywords: ['RUN'], hadolint: true },
  DL3015: { keywords: ['RUN'], hadolint: true },
  DL3020: { keywords: ['ADD'], hadolint: false },
  DL3021: { keywords: ['COPY'], hadolint: false },
  DL3025: { keywords: ['CMD', 'ENTRYPOINT'], hadolint: false },
  DL3027: { keywords: ['RUN'], hadolint: true },
  DL3030: { keywords: ['RUN'], hadolint: true },
  DL3032: { keywords: ['RUN'], hadolint: true },
  DL3034: { keywords: ['RUN'], hadolint: true },
  DL3035: { keywords: ['RUN'], hadolint: true },
  DL3036: { keywords: ['RUN'], hadolint: true },
  DL3038: { keywords: ['RUN'], hadolint: true },
  DL3040: { keywords: ['RUN'], hadolint: true },
  DL3042: { keywords: ['RUN'], hadolint: true },
  // The trigger runs in the downstream build, where the stage has the WORKDIR this image left.
  DL3045: { keywords: ['COPY'], hadolint: false },
  DL3046: { keywords: ['RUN'], hadolint: true },
  DL3060: { keywords: ['RUN'], hadolint: true },
  // The ONBUILD instruction is itself an instruction before FROM; hadolint's DL3061 reports any.
  DL3061: { keywords: ['LABEL', 'COPY'], hadolint: true },
  DL4005: { keywords: ['RUN'], hadolint: true },
  DL4006: { keywords: ['RUN'], hadolint: false },
};

/** Codes with no ONBUILD variant, and why. */
const NO_ONBUILD: Readonly<Record<string, string>> = {
  DL3002: 'stage-level: about the last USER of the final stage, not one instruction',
  DL3006: 'FROM tag; ONBUILD FROM is forbidden (DL3043)',
  DL3007: 'FROM tag; ONBUILD FROM is forbidden (DL3043)',
  DL3012: 'stage-level: counts HEALTHCHECKs per stage; a trigger\'s HEALTHCHECK belongs to the downstream stage',
  DL3022: 'stage names in a trigger\'s --from resolve in the downstream build, not in this file',
  DL3023: 'stage names in a trigger\'s --from resolve in the downstream build, not in this file',
  DL3024: 'FROM stage names; ONBUILD FROM is forbidden (DL3043)',
  DL3026: 'FROM registry; ONBUILD FROM is forbidden (DL3043)',
  DL3043: 'is itself the check on ONBUILD triggers',
  DL4000: 'ONBUILD MAINTAINER is forbidden (DL3043)',
  DL4003: 'stage-level: counts CMDs per stage; a trigger\'s CMD belongs to the downstream stage',
  DL4004: 'stage-level: counts ENTRYPOINTs per stage; a trigger\'s ENTRYPOINT belongs to the downstream stage',
};

/**
 * The text with every instruction whose keyword is listed written as `ONBUILD <instruction>`.
 * Only an instruction's first line changes; continuation lines (and comments or blank lines
 * inside a continuation) are left as they are.
 */
export function onbuildVariant(text: string, keywords: readonly string[]): string {
  let continued = false;
  return text
    .split('\n')
    .map((line) => {
      if (/^\s*(?:#.*)?$/.test(line)) return line;
      const match = continued ? null : /^(\s*)([A-Za-z]+)(?=\s|$)/.exec(line);
      const rewritten = match && keywords.includes(match[2]!.toUpperCase()) ? `${match[1]}ONBUILD ${line.slice(match[1]!.length)}` : line;
      continued = /\\\s*$/.test(line);
      return rewritten;
    })
    .join('\n');
}

const codes = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((name) => /^DL\d{4}$/.test(name)).sort() : [];
const mapped = [...new Set(rules.flatMap((rule) => rule.meta.aliases.hadolint ?? []))].sort();

test('every hadolint code a rule maps has the wiki\'s examples here, and every folder a mapped code', () => {
  assert.deepEqual(codes, mapped);
  for (const code of codes) assert.ok(ONBUILD[code] || NO_ONBUILD[code], `${code}: say whether it gets an ONBUILD variant`);
});

for (const code of codes) {
  const ids = idsFor(code);
  const context = CONTEXT[code] ?? EMPTY_CONTEXT;
  const dir = join(FIXTURES, code);
  const files = readdirSync(dir).filter((name) => /^(?:bad|good)-\d+\.Dockerfile$/.test(name)).sort();
  const ours = (text: string) => lint(text, { context }).filter((d) => ids.includes(String(d.code)));
  const show = (found: ReturnType<typeof ours>) => found.map((d) => `${d.range.start.line + 1}: ${d.code}: ${d.message}`);

  describe(`${code} (${ids.join(', ') || 'no rule'})`, () => {
    for (const name of files) {
      const text = readFileSync(join(dir, name), 'utf8');
      const bad = name.startsWith('bad-') && OUTDATED[`${code}/${name}`] === undefined;
      const skip = OFFLINE_SKIP[`${code}/${name}`] ?? false;
      const check = (source: string, what: string) => {
        const found = ours(source);
        if (bad) assert.ok(found.length > 0, `${what}: expected one of ${ids.join(', ')} on\n${source}`);
        else assert.deepEqual(show(found), [], `${what}: expected none of ${ids.join(', ')} on\n${source}`);
      };

      test(`${bad ? 'reports' : 'stays quiet on'} ${name}`, { skip }, () => check(text, name));

      const onbuild = ONBUILD[code];
      if (!onbuild) continue;
      const variant = onbuildVariant(text, onbuild.keywords);
      if (variant === text) {
        // Nothing to move: a bad example must have something, or the variant proves nothing.
        if (bad) test(`ONBUILD variant of ${name} has a ${onbuild.keywords.join('/')} to move`, () => assert.fail('no instruction rewritten'));
        continue;
      }
      const whose = onbuild.hadolint ? 'as hadolint' : 'beyond hadolint, which does not unwrap ONBUILD here';
      test(`${bad ? 'reports' : 'stays quiet on'} ${name} as ONBUILD ${onbuild.keywords.join('/')} (${whose})`, { skip }, () => check(variant, `${name} as ONBUILD`));
    }
  });
}

test('the ONBUILD rewrite moves first lines only', () => {
  assert.equal(onbuildVariant('FROM a\nRUN x \\\n  RUN y\n# c\nrun z', ['RUN']), 'FROM a\nONBUILD RUN x \\\n  RUN y\n# c\nONBUILD run z');
});
