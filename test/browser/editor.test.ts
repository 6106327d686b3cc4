// The editor as a person uses it, in Debian's Chromium against a real Node-RED (the one
// test/helpers/node-red-selection.ts selects) with this package and the simulator: the palette, the server
// dialog with its "test connection" button, the subscribe dialog's producer list, deploy and the
// status, the help of every node, the example flows from the Import menu, an old flow imported
// through the clipboard. Screenshots go to test-output/browser/. The steps build on each other (one
// editor session), so a failing step makes the later ones fail too.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Response } from 'playwright-core';
import type { RunningSimulator } from '../../simulator/index';
import { type NodeRedProcess, PACKAGE, REPO, startNodeRed } from '../helpers/node-red-process';
import { CONFIG_SCHEMAS } from '../../nodes/shared/schemas';
import { PASSWORD, simulator, USER } from '../helpers/node-red-test-helper';
import { browserSkipReason, type EditorBrowser, openBrowser } from '../helpers/chromium';
import {
  cancelTray,
  confirmTray,
  deploy,
  dropNode,
  editTray,
  login,
  nodeIds,
  openHelpSidebar,
  openImportDialog,
  openConfigTray,
  openNode,
  statusText,
  type EditorGlobals,
} from '../helpers/editor-steps';
import { until } from '../helpers/wait';

const ADMIN = { username: 'admin', password: 'admin-pass-123', permissions: '*' };
const WRONG_PASSWORD = 'Not-The-Password-77';
const TLS_ID = 'tls-sim';
const PALETTE_TYPES = [
  'avaya-analytics-subscribe',
  'avaya-analytics-state',
  'avaya-analytics-dimdata',
  'avaya-analytics-dictionary',
  'avaya-analytics-alert',
  'avaya-analytics-mqtt',
];
const ALL_TYPES = ['avaya-analytics-server', ...PALETTE_TYPES];
const EXAMPLES = join(REPO, 'examples');

/** The first paragraph of a node's English help, as plain text. */
function helpIntro(type: string): string {
  const html = readFileSync(join(REPO, 'locales', 'en-US', `${type}.html`), 'utf8');
  const first = /<p>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
  // Up to the first markup or entity, so the text compares with what the page renders.
  return first.split(/[<&]/)[0]!.replace(/\s+/g, ' ').trim();
}

const squash = (text: string | null): string => (text ?? '').replace(/\s+/g, ' ').trim();

/** GET of the admin API from inside the page, with the editor's own session (jQuery carries its token). */
function editorGet(page: Page, path: string): Promise<string> {
  return page.evaluate(
    (p) =>
      new Promise<string>((resolve, reject) => {
        const $ = (globalThis as unknown as EditorGlobals).$;
        $.ajax({ url: p, headers: { 'Node-RED-API-Version': 'v2' }, dataType: 'text' })
          .done(resolve)
          .fail((x: { status: number }) => reject(new Error(`GET ${p}: ${x.status}`)));
      }),
    path,
  );
}

describe('the editor in a real browser', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let red: NodeRedProcess;
  let ui: EditorBrowser;
  let page: Page;
  /** Bodies of every answer the browser got from Node-RED (checked for secrets at the end). */
  const bodies: Array<Promise<{ url: string; text: string }>> = [];
  const statusOf = new Map<string, number>();
  let subscribeId = '';
  let serverId = '';

  before(async function () {
    const skip = browserSkipReason();
    if (skip) {
      process.stdout.write(`      browser tests skipped: ${skip}\n`);
      this.skip();
    }
    sim = await simulator({ rate: 0 });
    red = await startNodeRed({ users: [ADMIN] });
    // The simulator's CA in a deployed tls-config node: what an admin sets up once for a server with
    // its own CA (the dialogs below pick it from their TLS list).
    const token = await red.token(ADMIN.username, ADMIN.password, '*');
    const tls = {
      id: TLS_ID,
      type: 'tls-config',
      name: 'simulator CA',
      cert: '',
      key: '',
      ca: '',
      certname: '',
      keyname: '',
      caname: 'ca.pem',
      servername: '',
      verifyservercert: true,
      alpnprotocol: '',
      credentials: { cadata: sim.caPem },
    };
    const res = await fetch(`${red.base}/flows`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'Node-RED-API-Version': 'v2',
        'Node-RED-Deployment-Type': 'full',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ flows: [{ id: 'f1', type: 'tab', label: 'Flow 1' }, tls] }),
    });
    assert.equal(res.status, 200, await res.text());

    ui = await openBrowser();
    page = ui.page;
    page.on('response', (r: Response) => {
      if (!r.url().startsWith(red.base)) return;
      statusOf.set(r.url(), r.status());
      const type = r.headers()['content-type'] ?? '';
      if (/json|text|javascript|html/.test(type))
        bodies.push(
          r.text().then(
            (text) => ({ url: r.url(), text }),
            () => ({ url: r.url(), text: '' }),
          ),
        );
    });
    await login(page, red.base, ADMIN.username, ADMIN.password);
  });

  after(async () => {
    await ui?.close();
    await red?.close();
    await sim?.close();
  });

  it('shows the "Avaya Analytics" palette category with every node and its icon', async () => {
    const category = page.locator('.red-ui-palette-category', {
      has: page.locator('.red-ui-palette-header', { hasText: 'Avaya Analytics' }),
    });
    await category.scrollIntoViewIfNeeded();
    for (const type of PALETTE_TYPES) {
      const node = category.locator(`.red-ui-palette-node[data-palette-type="${type}"]`);
      await node.waitFor({ state: 'visible' });
      const icon = await node.locator('.red-ui-palette-icon-container').getAttribute('data-palette-icon');
      assert.equal(icon, `icons/${PACKAGE}/${type}.svg`);
      // The browser really fetched the icon (a broken icon would be a 404 here). The node shows before the icon's
      // response has arrived: wait for it (on a loaded machine that took longer than the loop's other steps).
      const url = new URL(icon, `${red.base}/`).href;
      const status = await until(`the response to ${icon}`, () => statusOf.get(url));
      assert.equal(status, 200, `icon ${icon} was not loaded (${status})`);
    }
    assert.deepEqual(
      await category
        .locator('.red-ui-palette-label')
        .allTextContents()
        .then((t) => t.map(squash)),
      ['subscribe', 'dimension data', 'dictionary', 'state', 'alert', 'to broker'],
    );
    await ui.screenshot('palette', category);
  });

  it('the server dialog: "test connection" shows the server\'s refusal of a wrong password, then success', async () => {
    subscribeId = await dropNode(page, 'avaya-analytics-subscribe', 300, 120);
    const subscribeTray = await openNode(page, subscribeId);
    const tray = await openConfigTray(page, subscribeTray.locator('#node-input-btn-server-add'));
    await tray.locator('#node-config-input-url').fill(sim.restUrl);
    await tray.locator('#node-config-input-tls').selectOption(TLS_ID);
    await tray.locator('#node-config-input-username').fill(USER);
    await tray.locator('#node-config-input-password').fill(WRONG_PASSWORD);
    await tray.locator('#node-config-input-name').fill('simulator');
    const result = tray.locator('#avaya-analytics-server-test-result');

    await tray.locator('#avaya-analytics-server-test').click();
    await page.waitForFunction(() =>
      /^[\u2714\u2716]/.test(
        (globalThis as unknown as EditorGlobals).document.querySelector('#avaya-analytics-server-test-result')
          ?.textContent ?? '',
      ),
    );
    const refused = squash(await result.textContent());
    assert.match(refused, /^\u2716 /, refused);
    assert.match(refused, /401|refused/i, `not the server's refusal: ${refused}`);
    assert.ok(!refused.includes(WRONG_PASSWORD), 'the typed password is shown in the result');
    await ui.screenshot('server-dialog-wrong-password', tray);

    await tray.locator('#node-config-input-password').fill(PASSWORD);
    await tray.locator('#avaya-analytics-server-test').click();
    await page.waitForFunction(() =>
      /^\u2714/.test(
        (globalThis as unknown as EditorGlobals).document.querySelector('#avaya-analytics-server-test-result')
          ?.textContent ?? '',
      ),
    );
    const ok = squash(await result.textContent());
    assert.ok(ok.includes(USER), `success without the user: ${ok}`);
    await ui.screenshot('server-dialog', tray);
    await confirmTray(page);
    serverId = (await nodeIds(page, 'avaya-analytics-server'))[0] ?? '';
    assert.ok(serverId, 'the server config node was not added');
  });

  it('the subscribe dialog fills its producer list from the simulator', async () => {
    const tray = await editTray(page);
    const expected = sim.model
      .producers()
      .map((p) => p.header.producerId)
      .filter((id) => !id.startsWith('Admin_'))
      .sort();
    const options = tray.locator('#avaya-analytics-subscribe-producers option');
    await page.waitForFunction(
      (n) =>
        (globalThis as unknown as EditorGlobals).document.querySelectorAll(
          '#avaya-analytics-subscribe-producers option',
        ).length >= n,
      expected.length,
    );
    assert.deepEqual(
      (await options.evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value))).sort(),
      expected,
    );

    await tray.locator('#node-input-producer').fill('Agent_SoD_3.5');
    await tray.locator('#node-input-producer').dispatchEvent('change');
    await tray.locator('#avaya-analytics-subscribe-hint', { hasText: 'agentId' }).waitFor();
    await tray.locator('#node-input-controlOutput').check();
    await ui.screenshot('subscribe-dialog', tray);
    await confirmTray(page);
  });

  it("deploys, and the subscribe node's status turns to ready", async () => {
    await deploy(page);
    await page.waitForFunction(
      (id) =>
        /ready/.test(
          (globalThis as unknown as EditorGlobals).document.querySelector(
            `g.red-ui-flow-node-group[id="${id}"] .red-ui-flow-node-status-label`,
          )?.textContent ?? '',
        ),
      subscribeId,
      { timeout: 20_000 },
    );
    assert.match(squash(await statusText(page, subscribeId).textContent()), /^ready · \d+ msgs$/);
    await ui.screenshot('deployed-ready');
    assert.deepEqual(sim.control.stats().users[USER]?.subscriptions, ['Agent_SoD_3.5']);
  });

  it('never sends the password back to the browser', async () => {
    const flows = await editorGet(page, 'flows');
    assert.ok(serverId && flows.includes(serverId), 'the server is not in GET /flows');
    assert.ok(!flows.includes(PASSWORD), `GET /flows carries the password: ${flows}`);
    const server = (JSON.parse(flows) as { flows: Array<Record<string, unknown>> }).flows.find(
      (n) => n.id === serverId,
    )!;
    assert.equal(server.credentials, undefined);
    const creds = JSON.parse(await editorGet(page, `credentials/avaya-analytics-server/${serverId}`)) as Record<
      string,
      unknown
    >;
    assert.deepEqual(creds, { username: USER, has_password: true });

    // Reopened, the dialog shows the placeholder, not the password.
    const subscribeTray = await openNode(page, subscribeId);
    await subscribeTray.locator('#node-input-btn-server-edit').click();
    const tray = await editTray(page);
    assert.equal(await tray.locator('#node-config-input-password').inputValue(), '__PWRD__');
    // "test connection" with the stored password works without the password ever being in the page.
    await tray.locator('#avaya-analytics-server-test').click();
    await page.waitForFunction(() =>
      /^[\u2714\u2716]/.test(
        (globalThis as unknown as EditorGlobals).document.querySelector('#avaya-analytics-server-test-result')
          ?.textContent ?? '',
      ),
    );
    assert.match(squash(await tray.locator('#avaya-analytics-server-test-result').textContent()), /^\u2714/);
    await cancelTray(page); // the server tray
    await cancelTray(page); // the subscribe tray

    // Nothing the browser received in this session carries either password.
    for (const { url, text } of await Promise.all(bodies)) {
      assert.ok(!text.includes(PASSWORD) && !text.includes(WRONG_PASSWORD), `${url} carries a password`);
    }
  });

  it('shows the help of each node in the help sidebar', async () => {
    const toc = await openHelpSidebar(page);
    const group = toc
      .locator('.red-ui-editableList-item-content')
      .filter({ has: page.locator(':scope > .red-ui-treeList-label', { hasText: PACKAGE }) });
    await group.locator(':scope > .red-ui-treeList-label').click();
    const labels = await page.evaluate(
      (types) =>
        types.map((t) =>
          (globalThis as unknown as EditorGlobals).RED.utils.getPaletteLabel(
            t,
            (globalThis as unknown as EditorGlobals).RED.nodes.getType(t),
          ),
        ),
      ALL_TYPES,
    );
    for (const [i, type] of ALL_TYPES.entries()) {
      // A click event on the label rather than a pointer click: in Node-RED 5 the next list item can lie over
      // the label while the list scrolls, and the pointer click then keeps waiting.
      await group.locator('.red-ui-node-label', { hasText: new RegExp(`^${labels[i]}$`) }).dispatchEvent('click');
      const intro = helpIntro(type);
      assert.ok(intro.length > 20, `no help text in locales/en-US/${type}.html`);
      await page
        .waitForFunction(
          (text) =>
            [...(globalThis as unknown as EditorGlobals).document.querySelectorAll('.red-ui-help')].some((e) =>
              (e.textContent ?? '').replace(/\s+/g, ' ').includes(text),
            ),
          intro,
          { timeout: 5000 },
        )
        .catch(async () =>
          assert.fail(
            `the help of ${type} ("${intro}") is not shown; the panel says: ${squash(await page.locator('.red-ui-help').last().textContent())}`,
          ),
        );
      if (type === 'avaya-analytics-subscribe') await ui.screenshot('help-subscribe');
    }
  });

  it('imports every example flow from the Import menu, with every node type known', async () => {
    const files = readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.json'))
      .sort();
    assert.ok(files.length > 0, 'no examples/*.json');
    for (const file of files) {
      const flow = JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Array<{ id: string; type: string }>;
      const dialog = await openImportDialog(page);
      await page.click('#red-ui-tab-red-ui-clipboard-dialog-import-tab-examples a');
      const examples = dialog.locator('#red-ui-clipboard-dialog-import-tab-examples');
      const entry = examples.locator('.red-ui-treeList-label', {
        hasText: new RegExp(`^\\s*${file.replace(/\.json$/, '')}\\s*$`),
      });
      // The tree opens the package's folder by itself, or later under load: wait a little before opening it.
      await entry.waitFor({ state: 'visible', timeout: 3000 }).catch(async () => {
        await examples.locator('.red-ui-treeList-label', { hasText: PACKAGE }).click();
      });
      // Import enables once the editor fetched the example's flow; a click that landed while the tree list
      // was re-rendering selected nothing, so it is clicked again (a busy machine made this flaky).
      let enabled = false;
      for (let attempt = 0; attempt < 5 && !enabled; attempt++) {
        await entry.click();
        enabled = await page
          .locator('#red-ui-clipboard-dialog-ok:not([disabled])')
          .waitFor({ state: 'visible', timeout: 5000 })
          .then(
            () => true,
            () => false,
          );
      }
      assert.ok(enabled, `${file}: the Import button never enabled`);
      if (file === files[0]) await ui.screenshot('import-examples', dialog);
      await page.click('#red-ui-clipboard-dialog-ok');
      await dialog.waitFor({ state: 'hidden' });
      await ui.screenshot(`imported-${file.replace(/\.json$/, '')}`);
      const imported = await page.evaluate(
        (nodes) =>
          nodes.map((n) => {
            const RED = (globalThis as unknown as EditorGlobals).RED;
            const found = RED.nodes.node(n.id) ?? RED.nodes.workspace(n.id) ?? RED.nodes.group(n.id);
            return {
              id: n.id,
              type: found?.type ?? null,
              known: n.type === 'tab' || n.type === 'group' || !!RED.nodes.getType(n.type),
            };
          }),
        flow.map((n) => ({ id: n.id, type: n.type })),
      );
      const wrong = imported
        .map((n, i) => ({ ...n, expected: flow[i]!.type }))
        .filter((n) => n.type !== n.expected || !n.known);
      assert.deepEqual(wrong, [], `${file}: nodes missing or of an unknown type after the import`);
      // Undo the import (Ctrl+Z on the workspace) so the next example does not clash with its ids.
      await page.locator('#red-ui-workspace-chart').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+z');
      await page.waitForFunction(
        (id) =>
          !(globalThis as unknown as EditorGlobals).RED.nodes.workspace(id) &&
          !(globalThis as unknown as EditorGlobals).RED.nodes.node(id),
        flow.find((n) => n.type !== 'tab')!.id,
      );
    }
  });

  it('imports a flow saved without version and opens it with the current defaults', async () => {
    const saved = readFileSync(join(REPO, 'test', 'compat', 'flows', 'saved-without-version.json'), 'utf8')
      // Ids of its own, apart from the nodes made above.
      .replace(/"(f1|tls|server|sub|state|dimdata|dictionary)"/g, '"old-$1"');
    const dialog = await openImportDialog(page);
    await page.click('#red-ui-tab-red-ui-clipboard-dialog-import-tab-clipboard a');
    await dialog.locator('#red-ui-clipboard-dialog-import-text').fill(saved);
    await dialog.locator('#red-ui-clipboard-dialog-import-text').press('End'); // the dialog validates on keyup
    await page.click('#red-ui-clipboard-dialog-ok');
    await dialog.waitFor({ state: 'hidden' });
    const versions = await page.evaluate(
      (ids) => ids.map((id) => (globalThis as unknown as EditorGlobals).RED.nodes.node(id)?.version),
      ['old-server', 'old-sub', 'old-state', 'old-dimdata', 'old-dictionary'],
    );
    const serverVersion = CONFIG_SCHEMAS['avaya-analytics-server'].version;
    const subscribeVersion = CONFIG_SCHEMAS['avaya-analytics-subscribe'].version;
    assert.ok(serverVersion >= 3, 'version 3 added the proxy');
    assert.ok(subscribeVersion >= 2, 'version 2 added lifecycle');
    assert.deepEqual(
      versions,
      [serverVersion, subscribeVersion, 1, 1, 1],
      `the server is at version ${serverVersion} (2: streamHosts, requestTimeout, faultRetryMax; 3: proxy), the subscribe node at ${subscribeVersion} (2: lifecycle)`,
    );
    await page.locator('#red-ui-workspace-tabs .red-ui-tab', { hasText: 'Avaya Analytics' }).click();
    const tray = await openNode(page, 'old-sub');
    assert.equal(
      await tray.locator('#node-input-emitPumpup').isChecked(),
      true,
      'emitPumpup (default true) shows unchecked',
    );
    assert.equal(await tray.locator('#node-input-controlOutput').isChecked(), true);
    assert.equal(
      await tray.locator('#node-input-lifecycle').inputValue(),
      'legacy',
      'a node of 0.1.0 keeps its lifecycle events off output 1 unless it feeds a state node',
    );
    await ui.screenshot('old-flow-subscribe-dialog', tray);
    await cancelTray(page);
    const dimdata = await openNode(page, 'old-dimdata');
    assert.equal(await dimdata.locator('#node-input-kind').inputValue(), 'Agent');
    await cancelTray(page);
  });

  it('reached nothing beyond loopback and raised no page errors', () => {
    assert.deepEqual(ui.blocked, []);
    assert.deepEqual(ui.pageErrors, []);
  });
});
