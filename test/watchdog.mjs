// Preloaded into every test file's process by scripts/test.mjs. Once a file's tests are done, its
// process should exit on its own; if something it started still holds the event loop 30 s later (a
// child process, a socket), say what it is and exit with the tests' own result, so one leaked handle
// cannot stall the whole run until CI's time limit. Only inside the test runner's child processes.
import { after } from 'node:test';

const GRACE_MS = 30_000;

const describe = (handle) => {
  const name = handle?.constructor?.name ?? typeof handle;
  if (handle && typeof handle.spawnargs === 'object') return `${name} pid ${handle.pid} (${handle.spawnargs.join(' ')})`;
  if (handle && typeof handle.remotePort === 'number') return `${name} to ${handle.remoteAddress}:${handle.remotePort}`;
  return name;
};

if (process.env.NODE_TEST_CONTEXT) {
  after(() => {
    setTimeout(() => {
      // The process's own stdout and stderr are always listed; timers only in the resource names.
      const handles = process._getActiveHandles().filter((h) => h !== process.stdout && h !== process.stderr);
      const held = [...handles.map(describe), ...process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'Immediate')];
      process.stderr.write(`watchdog: ${process.argv[1]} finished its tests but was still running ${GRACE_MS / 1000} s later, held by: ${held.join('; ') || 'nothing listed'}\n`);
      // Leave no orphan behind: a child still running here would outlive the run.
      for (const handle of handles) if (typeof handle.spawnargs === 'object') handle.kill('SIGKILL');
      process.exit(process.exitCode ?? 0);
    }, GRACE_MS).unref();
  });
}
