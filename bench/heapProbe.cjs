// Preloaded into the benchmarked server (`--require`) by the memory section: on SIGUSR2 it writes
// process.memoryUsage() to <tmpdir>/dockwise-heap-<pid>.json, so the JS heap can be printed beside
// the RSS read from /proc. It allocates nothing until asked.
const { writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

process.on('SIGUSR2', () => writeFileSync(join(tmpdir(), `dockwise-heap-${process.pid}.json`), JSON.stringify(process.memoryUsage())));
