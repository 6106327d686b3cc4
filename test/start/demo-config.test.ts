// The environment variables of `npm start`: defaults, accepted values, and a message naming the
// variable for anything else.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DemoConfigError, readDemoConfig } from '../../scripts/demo-config';
import { REPO_ROOT } from '../../scripts/node-red-process';

describe('npm start settings (scripts/demo-config.ts)', () => {
  it('defaults to the README values and a user dir inside the repo', () => {
    assert.deepEqual(readDemoConfig({}), {
      userDir: join(REPO_ROOT, '.node-red-user'),
      nodeRedHost: '127.0.0.1',
      nodeRedPort: 1880,
      simPort: 8443,
      simControlPort: 8444,
      agents: 40,
      rate: 4,
    });
  });

  it('takes every variable, blank ones meaning the default', () => {
    const config = readDemoConfig({
      NODE_RED_USER_DIR: '/tmp/x',
      NODE_RED_HOST: '0.0.0.0',
      NODE_RED_PORT: '18801',
      SIM_PORT: '0',
      SIM_CONTROL_PORT: ' ',
      SIM_AGENTS: '12',
      SIM_RATE: '0.5',
    });
    assert.deepEqual(config, {
      userDir: '/tmp/x',
      nodeRedHost: '0.0.0.0',
      nodeRedPort: 18801,
      simPort: 0,
      simControlPort: 8444,
      agents: 12,
      rate: 0.5,
    });
  });

  const bad: Array<[string, string, RegExp]> = [
    ['NODE_RED_PORT', '0', /NODE_RED_PORT must be a whole number from 1 to 65535, got "0"/],
    ['NODE_RED_PORT', '1880x', /NODE_RED_PORT must be a whole number/],
    ['SIM_PORT', '70000', /SIM_PORT must be a whole number from 0 to 65535/],
    ['SIM_AGENTS', '2.5', /SIM_AGENTS must be a whole number/],
    ['SIM_RATE', '-1', /SIM_RATE must be a number from 0 to 1000, got "-1"/],
    ['SIM_RATE', 'Infinity', /SIM_RATE must be a number/],
    ['NODE_RED_HOST', 'a b; rm', /NODE_RED_HOST must be a host name or address/],
  ];
  for (const [name, value, message] of bad) {
    it(`refuses ${name}=${JSON.stringify(value)}`, () => {
      assert.throws(
        () => readDemoConfig({ [name]: value }),
        (err: unknown) => err instanceof DemoConfigError && message.test(err.message),
      );
    });
  }
});
