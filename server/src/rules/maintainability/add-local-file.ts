import { replace } from '../../language/edits';
import { copySpec, keywordRange } from '../../language/query';
import type { InstructionInfo } from '../../language/model';
import { stageRule, type Finding } from '../../engine/rule';

const REMOTE = /^(?:https?:\/\/|git@|ssh:\/\/|git:\/\/)/;
/** Local archives ADD extracts, which is a reason to use it. */
const ARCHIVE = /\.(?:tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst)$/i;

/** An ADD of local files only, which COPY does the same. */
function localAdd(info: InstructionInfo): Finding[] {
  if (info.keyword !== 'ADD') return [];
  const { sources } = copySpec(info);
  if (sources.length === 0 || sources.some((s) => REMOTE.test(s.value) || ARCHIVE.test(s.value) || s.value.includes('$'))) return [];
  return [{ range: keywordRange(info), message: 'Use COPY for local files: ADD also extracts archives and fetches URLs, which is not wanted here.' }];
}

export const addLocalFile = stageRule({
  meta: {
    id: 'add-local-file',
    title: '`ADD` for local files',
    description: 'Flags ADD of local files and folders, where COPY does the same without ADD\'s surprises.',
    category: 'maintainability',
    severity: 'warning',
    fixable: 'always',
    aliases: { hadolint: ['DL3020'], trivy: ['DS-0005'] },
    docs: {
      why: `\`ADD\` copies like \`COPY\` but also unpacks a source that is itself a local tar archive (plain or
compressed, recognised by its content) and downloads URLs. For plain files and folders that extra behaviour is
a trap for the reader: the line looks like a copy, yet if the named file is, or one day becomes, a tarball, it is
unpacked instead of copied. (Archives inside a copied folder are never unpacked: \`ADD . /app\` copies
\`vendor.tar.gz\` as it is.) \`COPY\` does exactly what it says. Keep \`ADD\` for what only it does: extracting a
local archive, or fetching a URL or git repository (ideally with \`--checksum\`).`,
      bad: `ADD requirements.txt /app/
ADD src/ /app/src/`,
      good: `COPY requirements.txt /app/
COPY src/ /app/src/`,
      fix: `Replace \`ADD\` with \`COPY\`; flags such as \`--chown\` and \`--chmod\` carry over.
The quick fix replaces the keyword and keeps the flags. It is offered as safe because sources named like
archives (\`.tar\`, \`.tar.gz\`, \`.tgz\`, …), URLs and sources built from variables are not reported, so what is
left copies the same either way; only a tarball given a name without an archive extension would be unpacked by
\`ADD\` and copied by \`COPY\`.`,
    },
  },
  checkStage: (stage) => stage.instructions.flatMap(localAdd),
  // An ADD before the first FROM belongs to no stage (BuildKit refuses it; this rule still says what to use).
  checkFile: (model) => model.preamble.flatMap(localAdd),

  fix(model, finding) {
    const word = model.document.getText(finding.range);
    return [{ title: 'Use COPY', edits: [replace(finding.range, word === word.toLowerCase() ? 'copy' : 'COPY')], safe: true }];
  },
});
