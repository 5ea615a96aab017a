import { rootBase, stageChain, variablesOf } from '../../language/query';
import { stageRule } from '../../engine/rule';
import { PROXY_ARGS } from '../../language/buildArgs';
import { editDistance } from '../../language/editDistance';

/** Instructions whose arguments the builder expands itself (RUN and CMD leave it to the shell). */
const EXPANDED = new Set(['ADD', 'COPY', 'ENV', 'EXPOSE', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR', 'ARG']);
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PREDEFINED = new Set(PROXY_ARGS.flatMap((n) => [n, n.toLowerCase()]));
/** Set by most base images or the runtime; never reported as typos of something else. */
const COMMON_ENV = new Set(['PATH', 'HOME', 'HOSTNAME', 'LANG', 'LANGUAGE', 'LC_ALL', 'TERM', 'USER', 'SHELL', 'PWD', 'TZ', 'LD_LIBRARY_PATH', 'PYTHONPATH', 'JAVA_HOME', 'GOPATH', 'GOROOT', 'NODE_PATH', 'CARGO_HOME', 'RUSTUP_HOME', 'GEM_HOME', 'MAVEN_HOME', 'GRADLE_HOME']);

export const undefinedVar = stageRule({
  meta: {
    id: 'undefined-var',
    title: 'Variable that is never defined',
    description: 'Flags $VARIABLES in COPY, ENV, WORKDIR and the like that no ARG or ENV defines: usually a typo, and they expand to nothing.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: { buildkit: ['UndefinedVar'] },
    insideOnbuild: false,
    docs: {
      why: `The builder replaces an undefined variable with an empty string, without a word. \`COPY app \$APP_HOMEE/\`
copies to \`/\`, \`ENV PATH=\$PTAH:/app/bin\` throws away the whole \`PATH\`. Global \`ARG\`s also need to be declared
again inside each stage that uses them.

Base images define variables of their own (\`PATH\`, \`JAVA_HOME\`, \`PYTHON_VERSION\`, …) that dockwise cannot see
without registry data, so a variable is reported only when it is surely undefined: the stage builds on
\`scratch\`, or the name is one or two letters away from a variable that is defined (a likely typo).`,
      bad: `ARG APP_HOME=/srv/app
ENV PATH=$APP_HOEM/bin:$PATH`,
      good: `ARG APP_HOME=/srv/app
ENV PATH=$APP_HOME/bin:$PATH`,
      fix: `Correct the name, or declare it with \`ARG\` (inside the stage) or \`ENV\`.`,
    },
  },
  checkStage(stage, model) {
    const chain = stageChain(model, stage);
    const fromScratch = rootBase(model, stage)?.kind === 'scratch';
    const defined = new Set<string>(PREDEFINED);
    for (const parent of chain.slice(0, -1)) {
      for (const info of parent.instructions) if (info.keyword === 'ENV') for (const p of info.properties) defined.add(p.getName());
    }
    return stage.instructions.flatMap((info) => {
      // The parser re-reads the instruction to find variables; most have no `$` at all.
      const findings = EXPANDED.has(info.keyword) && info.args.some((a) => a.getValue().includes('$'))
        ? variablesOf(model, info).flatMap((variable) => {
            const name = variable.getName();
            // dockerfile-ast takes `${A?}` and `${#A}` apart differently from BuildKit's lexer; those are no plain name.
            if (!PLAIN_NAME.test(name) || defined.has(name) || variable.getModifier() !== null || (COMMON_ENV.has(name) && !fromScratch)) return [];
            // Short names are one edit from many others; allow two edits only for longer ones.
            const allowed = name.length <= 5 ? 1 : 2;
            const near = [...defined].find((d) => d.length >= 3 && editDistance(d, name) <= allowed && d !== name);
            if (!fromScratch && !near) return [];
            const hint = near ? ` Did you mean \`${near}\`?` : '';
            return [{ range: variable.getNameRange(), message: `\`${name}\` is not defined here, so it expands to an empty string.${hint}` }];
          })
        : [];
      if (info.keyword === 'ENV' || info.keyword === 'ARG') for (const p of info.properties) defined.add(p.getName());
      return findings;
    });
  },
});
