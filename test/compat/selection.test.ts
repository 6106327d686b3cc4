// The suite runs on the Node-RED and Node.js it is meant to: CI's two runs (Node-RED 4.1 on Node 20,
// Node-RED 5 on Node 22) say which majors they expect in TEST_EXPECT_NODE_RED_MAJOR and
// TEST_EXPECT_NODE_MAJOR, so a run that silently fell back to the other toolchain fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { helper } from '../helpers/node-red-test-helper';
import { NODE_RED_PREFIX, NODE_RED_VERSION, requireFromNodeRed } from '../helpers/node-red-selection';
import { REPO } from '../helpers/node-red-process';

const semver = requireFromNodeRed<{ satisfies(version: string, range: string): boolean }>('semver');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  engines: { node: string };
  'node-red': { version: string };
};

const major = (version: string): number => Number(version.replace(/^v/, '').split('.')[0]);

describe('the Node-RED and Node.js under test', () => {
  it(`node-red-node-test-helper runs the selected Node-RED (${NODE_RED_VERSION} from ${NODE_RED_PREFIX})`, () => {
    // Node-RED reports "<version>-git" when it was not started from its CLI.
    assert.equal(String(helper._RED.version()).replace(/-git$/, ''), NODE_RED_VERSION);
  });

  it(`are versions the package declares it supports, and the majors CI expects (Node.js ${process.versions.node})`, () => {
    assert.ok(
      semver.satisfies(NODE_RED_VERSION, pkg['node-red'].version),
      `Node-RED ${NODE_RED_VERSION} is outside node-red.version ${pkg['node-red'].version}`,
    );
    assert.ok(
      semver.satisfies(process.versions.node, pkg.engines.node),
      `Node.js ${process.versions.node} is outside engines.node ${pkg.engines.node}`,
    );
    const expectNodeRed = process.env.TEST_EXPECT_NODE_RED_MAJOR;
    const expectNode = process.env.TEST_EXPECT_NODE_MAJOR;
    if (expectNodeRed) assert.equal(major(NODE_RED_VERSION), Number(expectNodeRed), `Node-RED ${NODE_RED_VERSION}`);
    if (expectNode) assert.equal(major(process.versions.node), Number(expectNode), `Node.js ${process.versions.node}`);
  });
});
