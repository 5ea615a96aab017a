// The shared questions of the download rules, on command shapes taken from real Dockerfiles.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseShell } from '../../server/src/language/shell';
import { localOrUnknownHost, programWords, readsProgramFromStdin, savedAs } from '../../server/src/rules/shared/downloads';

/** The program and arguments of the one simple command in `line`. */
function command(line: string) {
  const [first] = parseShell(line, 0).commands;
  assert.ok(first?.name, `no command in ${line}`);
  return { program: first.name.value, args: first.args };
}

test('savedAs: where curl and wget write what they fetch', () => {
  const cases: [string, string | undefined][] = [
    ['curl -fsSL https://example.com/install.sh', undefined],
    ['curl -fsSLo /tmp/install.sh https://example.com/install.sh', '/tmp/install.sh'],
    ['curl -fsSL -o /tmp/a.sh https://example.com/install.sh', '/tmp/a.sh'],
    ['curl --output=/tmp/b.sh https://example.com/install.sh', '/tmp/b.sh'],
    ['curl -fsSLO https://bootstrap.pypa.io/get-pip.py?x=1', 'get-pip.py'],
    ['curl -o - https://example.com/install.sh', undefined],
    ['wget https://example.com/releases/tool-1.2.run', 'tool-1.2.run'],
    ['wget -qO- https://get.docker.com', undefined],
    ['wget -O /tmp/nzbget.run "https://github.com/nzbget/nzbget/releases/download/v21.0/nzbget-21.0-bin-linux.run"', '/tmp/nzbget.run'],
    ['wget --output-document=/tmp/x.sh https://example.com/x', '/tmp/x.sh'],
  ];
  for (const [line, expected] of cases) {
    const { program, args } = command(line);
    assert.equal(savedAs(program, args), expected, line);
  }
});

test('readsProgramFromStdin and programWords: what a shell or interpreter runs', () => {
  const stdin: [string, boolean | undefined][] = [
    ['bash', true],
    ['bash -', true],
    ['sh -s -- -y --profile minimal', true],
    ['sh -c "echo hi"', false],
    ['bash /tmp/install.sh', false],
    ['python3 -', true],
    ["python3 -c 'import json, sys'", false],
    ['busybox sh', true],
    ['tar -xz', undefined],
  ];
  for (const [line, expected] of stdin) {
    const { program, args } = command(line);
    assert.equal(readsProgramFromStdin(program, args), expected, line);
  }
  const words: [string, string[]][] = [
    ['sh -c "$(curl -fsSL https://x/install.sh)" "" --unattended', ['$(curl -fsSL https://x/install.sh)']],
    ['bash -o pipefail /tmp/setup.sh --yes', ['/tmp/setup.sh']],
    ['python3 get-pip.py --no-cache-dir', ['get-pip.py']],
    ['python3 -m pip install x', []],
    ['eval "$(ssh-agent)"', ['$(ssh-agent)']],
    ['ls -la', []],
  ];
  for (const [line, expected] of words) {
    const { program, args } = command(line);
    assert.deepEqual(programWords(program, args).map((w) => w.value), expected, line);
  }
});

test('localOrUnknownHost: this machine, private networks, single-label names and variables', () => {
  for (const url of ['http://localhost:8080/x', 'http://127.0.0.1/x', 'http://10.1.2.3/x', 'http://192.168.0.10/x', 'http://172.20.0.1/x', 'http://nexus:8081/x', 'http://${MIRROR}/x', 'http://repo.corp/x', 'http://[::1]/x']) {
    assert.equal(localOrUnknownHost(url), true, url);
  }
  for (const url of ['http://archive.apache.org/dist/x', 'http://172.32.0.1/x', 'ftp://ftp.example.org/pub/x', 'http://user@znc.in/x']) {
    assert.equal(localOrUnknownHost(url), false, url);
  }
});
