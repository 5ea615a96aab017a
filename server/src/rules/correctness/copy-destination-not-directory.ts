import { insertAt } from '../../language/edits';
import type { DockerfileModel, Stage } from '../../language/model';
import { cleanPath, copyOperands } from '../../language/contextPaths';
import { commandsOf, operands, rootBase, stageChain } from '../../language/query';
import { stageRule } from '../../engine/rule';

/** Folders every Linux base image has (not scratch). */
const STANDARD_FOLDERS = [
  'bin', 'boot', 'dev', 'etc', 'home', 'lib', 'media', 'mnt', 'opt', 'proc', 'root', 'run', 'sbin', 'srv', 'sys', 'tmp', 'usr', 'var',
  'usr/bin', 'usr/lib', 'usr/sbin', 'usr/share', 'usr/local', 'usr/local/bin', 'usr/local/lib', 'usr/local/sbin', 'usr/local/share', 'usr/src',
  'var/lib', 'var/log', 'var/tmp', 'var/cache', 'etc/ssl',
];

/** Absolute, cleaned, without the leading `/` (`''` is the root). */
const resolveIn = (dir: string | undefined, path: string): string | undefined => (path.startsWith('/') ? cleanPath(path) : dir === undefined ? undefined : cleanPath(`${dir}/${path}`));

/**
 * Folders known to exist at each instruction of a stage: WORKDIRs and their parents (through the
 * stages it builds on), COPY destinations written with a trailing `/`, `mkdir` operands, and the
 * standard folders of any image but scratch. Also the WORKDIR in force (`undefined`: whatever the
 * base image set).
 */
function folderWalk(model: DockerfileModel, stage: Stage) {
  const known = new Set<string>(['']);
  const root = rootBase(model, stage);
  if (root?.kind !== 'scratch') for (const folder of STANDARD_FOLDERS) known.add(folder);
  const addWithParents = (path: string) => {
    const parts = path.split('/');
    for (let i = 1; i <= parts.length; i++) known.add(parts.slice(0, i).join('/'));
  };
  let workdir: string | undefined = root?.kind === 'scratch' ? '' : undefined;
  const at = new Map<object, { known: Set<string>; workdir: string | undefined }>();
  for (const s of stageChain(model, stage)) {
    for (const info of s.instructions) {
      if (s === stage) at.set(info, { known: new Set(known), workdir });
      const arg = info.read.args[0];
      if (info.keyword === 'WORKDIR' && arg !== undefined && !arg.includes('$')) {
        workdir = resolveIn(workdir ?? '', arg);
        if (workdir !== undefined) addWithParents(workdir);
      }
      const run = info.keyword === 'RUN' ? s.runs.find((r) => r.info === info) : undefined;
      for (const command of run ? commandsOf(s, run) : []) {
        if (command.program !== 'mkdir') continue;
        for (const word of operands(command.args)) {
          const folder = !word.value.includes('$') ? resolveIn(workdir, word.value) : undefined;
          if (folder !== undefined) addWithParents(folder);
        }
      }
      if ((info.keyword === 'COPY' || info.keyword === 'ADD') && info.read) {
        const dest = copyOperands(model, info).dest?.value.replace(/^["']|["']$/g, '');
        if (dest && /[/\\]$/.test(dest) && !dest.includes('$')) {
          const folder = resolveIn(workdir, dest);
          if (folder !== undefined) addWithParents(folder);
        }
      }
    }
  }
  return at;
}

export const copyDestinationNotDirectory = stageRule({
  meta: {
    id: 'copy-destination-not-directory',
    title: 'Several sources copied to a destination without a trailing `/`',
    description: 'Flags COPY/ADD of several sources to a destination that does not end in / and is not known to be a folder, which ends up a file holding the last source.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'always',
    aliases: { hadolint: ['DL3021'], trivy: ['DS-0011'] },
    docs: {
      why: `Docker's documentation says that with more than one source the destination must end with \`/\`, and the
classic builder refused the file otherwise. BuildKit does not check: it copies each source to the destination in
turn. When the destination is already a folder in the image (\`.\`, the WORKDIR, a folder an earlier step made),
the files land inside it, as intended. When it is not, the first source creates a file of that name and each
next one overwrites it: \`COPY package.json package-lock.json /app\` leaves \`/app\` a file holding the lock file.
Heredoc bodies are not sources; each heredoc is one.`,
      bad: `FROM node:20
COPY package.json package-lock.json /app`,
      good: `FROM node:20
COPY package.json package-lock.json /app/`,
      fix: `Add \`/\` to the end of the destination. The quick fix does that; it changes what the image holds when the
folder did not exist, so review it.`,
    },
  },
  checkStage(stage, model) {
    let walk: ReturnType<typeof folderWalk> | undefined;
    return stage.instructions.flatMap((info) => {
      if (info.keyword !== 'COPY' && info.keyword !== 'ADD') return [];
      const { sources, dest } = copyOperands(model, info);
      if (!dest || sources.length < 2) return [];
      const value = info.read.json ? dest.value : dest.value.replace(/^(["'])(.*)\1$/, '$2');
      if (/[/\\]$/.test(value) || value.includes('$')) return [];
      walk ??= folderWalk(model, stage);
      const here = walk.get(info);
      const folder = here ? resolveIn(here.workdir, value) : undefined;
      if (value === '.' || value === '..' || /^\.\.?\/|\/\.\.?$/.test(value) || (folder !== undefined && here!.known.has(folder))) return [];
      return [
        {
          range: dest.range,
          message: `With ${sources.length} sources, BuildKit copies each to \`${value}\` in turn: unless \`${value}\` already is a folder in the image, it ends up a single file holding the last one. Write \`${value}/\`.`,
        },
      ];
    });
  },

  fix(model, finding) {
    const dest = model.document.getText(finding.range);
    // In the JSON form the destination is a quoted string: the slash goes inside the quotes.
    const edit = /["']$/.test(dest) ? insertAt(model.document.positionAt(model.document.offsetAt(finding.range.end) - 1), '/') : insertAt(finding.range.end, '/');
    return [{ title: 'Add a trailing /', edits: [edit], safe: false }];
  },
});
