// What a person does in the Node-RED editor, as playwright steps: log in, find a palette node, drop
// it on the workspace, open and close edit dialogs, deploy, import. Selectors are Node-RED 4/5's own
// element ids and classes (@node-red/editor-client).
import type { Locator, Page } from 'playwright-core';

export async function login(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.fill('#node-dialog-login-username', username);
  await page.fill('#node-dialog-login-password', password);
  await page.click('#node-dialog-login-submit');
  await waitForEditor(page);
}

/** The editor has loaded its nodes and flows (the palette is filled, the deploy button is there). */
export async function waitForEditor(page: Page): Promise<void> {
  await page.waitForSelector('#red-ui-header-button-deploy', { state: 'visible', timeout: 30_000 });
  await page.waitForSelector('.red-ui-palette-node', { timeout: 30_000 });
  await page.waitForFunction(() => {
    const RED = (globalThis as unknown as EditorGlobals).RED;
    return !!RED?.nodes?.version?.();
  });
}

export function paletteNode(page: Page, type: string): Locator {
  return page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`);
}

/** Drags a palette node onto the workspace at (x, y) of the visible chart; returns its node id. */
export async function dropNode(page: Page, type: string, x: number, y: number): Promise<string> {
  const before = await nodeIds(page, type);
  const source = paletteNode(page, type);
  await source.scrollIntoViewIfNeeded();
  const chart = page.locator('#red-ui-workspace-chart');
  // jQuery UI draggable needs real, stepped mouse moves.
  const box = (await source.boundingBox())!;
  const target = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 20, box.y + box.height / 2, { steps: 5 });
  await page.mouse.move(target.x + x, target.y + y, { steps: 20 });
  await page.mouse.up();
  await page.waitForFunction(
    ([t, n]) => (globalThis as unknown as EditorGlobals).RED.nodes.filterNodes({ type: t }).length > n,
    [type, before.length] as const,
  );
  const after = await nodeIds(page, type);
  return after.find((id) => !before.includes(id))!;
}

/** Ids of the flow and config nodes of a type in the editor. */
export function nodeIds(page: Page, type: string): Promise<string[]> {
  return page.evaluate((t) => {
    const RED = (globalThis as unknown as EditorGlobals).RED;
    const ids: string[] = RED.nodes.filterNodes({ type: t }).map((n: { id: string }) => n.id);
    RED.nodes.eachConfig((n: { id: string; type: string }) => void (n.type === t && ids.push(n.id)));
    return ids;
  }, type);
}

/** The workspace element of a flow node (an SVG group with the node's id). */
export function workspaceNode(page: Page, id: string): Locator {
  return page.locator(`#red-ui-workspace-chart g.red-ui-flow-node-group[id="${id}"]`);
}

/** Opens a node's edit dialog the way a person does: a double-click on it. */
export async function openNode(page: Page, id: string): Promise<Locator> {
  await workspaceNode(page, id).locator('.red-ui-flow-node').dblclick();
  return editTray(page);
}

/** The top edit tray (an edit dialog; a config node dialog opens on top of its user's). */
export async function editTray(page: Page): Promise<Locator> {
  const tray = page.locator('.red-ui-tray').last();
  await tray.waitFor({ state: 'visible' });
  await page
    .waitForFunction(
      () => !(globalThis as unknown as EditorGlobals).document.querySelector('.red-ui-tray.red-ui-tray-opening'),
      undefined,
      {
        timeout: 5000,
      },
    )
    .catch(() => undefined);
  return tray;
}

/**
 * Opens a config node's edit tray from its user's tray (the pencil / "add" button next to a config
 * select) and returns it once its form shows. The button is clicked again if no form came: under
 * Node-RED 5 a click that lands while the user's tray is still sliding in was seen to open nothing
 * (one CI run in five), after which every later step met the dialog's modal shade.
 */
export async function openConfigTray(page: Page, button: Locator): Promise<Locator> {
  const form = page.locator('#node-config-dialog-edit-form');
  for (let attempt = 1; ; attempt++) {
    await button.click();
    try {
      await form.waitFor({ state: 'visible', timeout: 10_000 });
      return await editTray(page);
    } catch (err) {
      if (attempt >= 3 || (await form.count()) > 0) throw err; // a form that exists but stays hidden is a real fault
    }
  }
}

/**
 * Clicks the tray's Done / Add / Update button and waits for that tray to leave the page. (A config
 * node's tray replaces its user's tray in the page, which comes back when it closes.)
 */
export function confirmTray(page: Page): Promise<void> {
  return closeTray(page, 'button.primary');
}

/** Clicks the tray's Cancel button and waits for that tray to leave the page. */
export function cancelTray(page: Page): Promise<void> {
  return closeTray(page, 'button:has-text("Cancel")');
}

async function closeTray(page: Page, button: string): Promise<void> {
  const tray = page.locator('.red-ui-tray').last();
  const handle = await tray.elementHandle();
  await tray.locator(`.red-ui-tray-toolbar ${button}`).click();
  await page.waitForFunction((el) => !(el as unknown as EditorElement).isConnected, handle);
  await handle?.dispose();
}

export async function deploy(page: Page): Promise<void> {
  await page.click('#red-ui-header-button-deploy');
  // The deploy button goes back to its disabled look once the runtime accepted the flows.
  await page.waitForSelector('#red-ui-header-button-deploy.disabled', { timeout: 20_000 });
}

/** The status text shown under a node on the workspace. */
export function statusText(page: Page, id: string): Locator {
  return workspaceNode(page, id).locator('.red-ui-flow-node-status-label');
}

/** Opens the help sidebar with its keyboard shortcut (Node-RED 4 has a sidebar tab, 5 a button bar). */
export async function openHelpSidebar(page: Page): Promise<Locator> {
  await page.locator('#red-ui-workspace-chart').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+g');
  await page.keyboard.press('h');
  const toc = page.locator('.red-ui-sidebar-help-toc');
  await toc.waitFor({ state: 'visible' });
  return toc;
}

/** Opens main menu → Import and returns the import dialog. */
export async function openImportDialog(page: Page): Promise<Locator> {
  await page.click('#red-ui-header-button-sidemenu');
  await page.click('#menu-item-import');
  const dialog = page.locator('.ui-dialog:has(#red-ui-clipboard-dialog-import-text)');
  await dialog.waitFor({ state: 'visible' });
  return dialog;
}

/** An element as the steps read it inside page.evaluate (the tests compile without the DOM library). */
export interface EditorElement {
  textContent: string | null;
  isConnected: boolean;
}

/** A node of the editor's model (RED.nodes). */
export interface EditorNode {
  id: string;
  type: string;
  version?: number;
}

/**
 * The browser globals of the Node-RED editor that the steps use inside page.evaluate / waitForFunction:
 * `(globalThis as unknown as EditorGlobals)` types them (the cast is erased: nothing else is shipped).
 */
export interface EditorGlobals {
  document: {
    querySelector(selector: string): EditorElement | null;
    querySelectorAll(selector: string): Iterable<EditorElement> & { length: number };
  };
  RED: {
    nodes: {
      version(): string | undefined;
      filterNodes(filter: { type?: string }): EditorNode[];
      eachConfig(callback: (node: EditorNode) => void): void;
      node(id: string): EditorNode | null | undefined;
      workspace(id: string): EditorNode | null | undefined;
      group(id: string): EditorNode | null | undefined;
      getType(type: string): object | null | undefined;
    };
    utils: { getPaletteLabel(type: string, definition: object | null | undefined): string };
  };
  $: {
    ajax(options: object): {
      done(callback: (text: string) => void): { fail(callback: (xhr: { status: number }) => void): void };
    };
  };
}
