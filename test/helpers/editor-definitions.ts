// What each node's editor file (nodes/<type>/<type>.html) hands to RED.nodes.registerType, got by
// running its <script type="text/javascript"> blocks in a sandbox with just enough of the editor's
// RED object. Lets tests compare the editor's defaults with the runtime's (nodes/shared/schemas.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { REPO } from './node-red-process';

export interface EditorDefinition {
  category?: string;
  defaults: Record<string, { value?: unknown; type?: string; required?: boolean }>;
  credentials?: Record<string, { type: string }>;
  [key: string]: unknown;
}

/** The script blocks Node-RED runs from a node's .html (node-red-dev's pattern). */
export function scriptBlocks(html: string): string[] {
  const blocks: string[] = [];
  const re = /<script.+?type=['"]text\/javascript['"].*?>([\S\s]*?)<\/script>/gi;
  for (let m = re.exec(html); m !== null; m = re.exec(html)) blocks.push(m[1]!);
  return blocks;
}

/** The built editor file (dist/): the source's scripts after the generated constants block (scripts/copy-assets.js). */
export function editorHtmlPath(type: string): string {
  return join(REPO, 'dist', 'nodes', type, `${type}.html`);
}

/** Every type the file registers, with its definition. */
export function editorDefinitions(type: string): Map<string, EditorDefinition> {
  const found = new Map<string, EditorDefinition>();
  const validator = () => () => true;
  const RED = {
    nodes: { registerType: (name: string, def: EditorDefinition) => found.set(name, def) },
    validators: { regex: validator, number: validator, typedInput: validator },
    events: { on: () => undefined },
    _: (key: string) => key,
  };
  const context = { RED, window: {}, $: () => ({}) };
  for (const block of scriptBlocks(readFileSync(editorHtmlPath(type), 'utf8')))
    runInNewContext(block, context, { timeout: 1000 });
  return found;
}
