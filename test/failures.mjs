// A second reporter for scripts/test.mjs: CI keeps only the tail of a run's output, where the TAP
// summary says how many tests failed but not which. This one collects every failing test with its
// file and the first lines of its error, for scripts/test.mjs to print after the summary.
const firstLines = (error, count = 12) => String(error?.cause?.stack ?? error?.cause ?? error?.stack ?? error).split('\n').slice(0, count).join('\n    ');

export default async function* failures(source) {
  const failed = [];
  for await (const event of source) {
    if (event.type !== 'test:fail') continue;
    const { name, file, line, details } = event.data;
    // A suite fails when one of its tests does; the test itself is the line worth reading.
    if (details?.type === 'suite' || details?.error?.failureType === 'subtestsFailed') continue;
    failed.push(`not ok: ${name}\n  at ${file ?? '?'}:${line ?? '?'}\n    ${firstLines(details?.error)}`);
  }
  if (failed.length) yield `${failed.length} failing test(s):\n${failed.join('\n')}\n`;
}
