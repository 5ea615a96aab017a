import { formatBytes } from '../../language/format';
import { copySpec, wholeContextSource } from '../../language/query';
import type { InstructionInfo } from '../../language/model';
import { instructionsRule, type Finding, type RuleContext } from '../../engine/rule';

/** What a `COPY .`/`ADD .` sends of the unwanted files the context holds. */
function unwantedCopies(instructions: readonly InstructionInfo[], context: RuleContext): Finding[] {
  const unwanted = context.buildContext?.unwanted ?? [];
  if (unwanted.length === 0) return [];
  return instructions.flatMap((info) => {
    if (info.keyword !== 'COPY' && info.keyword !== 'ADD') return [];
    const source = wholeContextSource(copySpec(info));
    if (!source) return [];
    const list = unwanted.map((u) => `\`${u.path}\` (${formatBytes(u.bytes)}: ${u.why})`).join(', ');
    const advice = context.buildContext?.hasDockerignore ? `add ${unwanted.length === 1 ? 'it' : 'them'} to .dockerignore` : 'there is no .dockerignore; create one that lists them';
    return [{ range: source.range, message: `\`${info.keyword} ${source.value}\` sends and copies ${list}: ${advice}.` }];
  });
}

export const contextIncludesUnwanted = instructionsRule({
  meta: {
    id: 'context-includes-unwanted',
    title: 'Whole-context COPY takes in .git, dependencies or secrets',
    description: 'Flags COPY . when the build context holds .git, node_modules, virtualenvs, .env files or keys that .dockerignore does not exclude.',
    category: 'security',
    severity: 'warning',
    fixable: 'never',
    aliases: {},
    insideOnbuild: false,
    docs: {
      why: `\`COPY . .\` copies everything the context holds that .dockerignore does not exclude. A \`.git\` folder puts the
whole history (and any secret ever committed) into the image; \`node_modules\` or a virtualenv built on your
machine may not even run in the image's OS and defeats the layer cache on every change; \`.env\` files and
private keys end up readable by anyone who pulls the image. They also slow every build by uploading them.`,
      bad: `# the context holds .git, node_modules and .env; .dockerignore lists none of them
COPY . .`,
      good: `# .dockerignore:
#   .git
#   node_modules
#   .env
COPY . .`,
      fix: `Add the named paths to .dockerignore (or copy only the folders the image needs).`,
    },
  },
  checkInstructions: (instructions, _model, context) => unwantedCopies(instructions, context),
});
